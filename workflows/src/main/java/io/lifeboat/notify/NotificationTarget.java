package io.lifeboat.notify;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.NotificationsConfig;

/**
 * What a workflow needs to notify: the channels from the config and where the web UI shows a
 * workflow, resolved when the run (or its schedule) was created.
 *
 * @param workflowsUrl e.g. {@code http://localhost:8233/namespaces/default/workflows/}; the
 *     workflow id is appended
 */
public record NotificationTarget(NotificationsConfig channels, String workflowsUrl) {
  public static final NotificationTarget NONE = new NotificationTarget(NotificationsConfig.NONE, null);

  public NotificationTarget {
    channels = channels != null ? channels : NotificationsConfig.NONE;
  }

  public static NotificationTarget of(NotificationsConfig channels, String webUi, String namespace) {
    String base = webUi == null ? null
        : (webUi.endsWith("/") ? webUi.substring(0, webUi.length() - 1) : webUi)
            + "/namespaces/" + namespace + "/workflows/";
    return new NotificationTarget(channels, base);
  }

  /** The estate's channels and web UI, as every request built from the config carries them. */
  public static NotificationTarget of(LifeboatConfig c) {
    return of(c.notifications(), c.temporal().webUi(), c.temporal().namespace());
  }

  public String link(String workflowId) {
    return workflowsUrl == null ? null : workflowsUrl + workflowId;
  }
}
