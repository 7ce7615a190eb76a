package io.lifeboat.notify;

import io.lifeboat.notify.Notification;
import java.util.Map;

/** Plain-text rendering shared by the channels: subject line, one-line text, details, link. */
final class Render {
  private Render() {}

  static String subject(Notification n) {
    return "[lifeboat] " + n.subject();
  }

  static String body(Notification n) {
    StringBuilder sb = new StringBuilder();
    sb.append(n.text()).append('\n');
    if (!n.details().isEmpty()) {
      sb.append('\n');
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(n.details()).entrySet()) {
        sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    if (n.link() != null) sb.append('\n').append(n.link()).append('\n');
    sb.append("\n(event: ").append(n.event()).append(")\n");
    return sb.toString();
  }
}
