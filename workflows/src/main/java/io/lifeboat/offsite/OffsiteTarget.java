package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.notify.NotificationTarget;

/**
 * The offsite copy a backup request asks for: where to, and whom to tell when it fails. Null in
 * a request (and in every history recorded before issue #8) means no offsite copy.
 */
public record OffsiteTarget(OffsiteConfig config, NotificationTarget notifications) {
  public OffsiteTarget {
    notifications = notifications != null ? notifications : NotificationTarget.NONE;
  }

  /** Null when the config has no offsite section. */
  public static OffsiteTarget of(OffsiteConfig config, NotificationTarget notifications) {
    return config == null ? null : new OffsiteTarget(config, notifications);
  }
}
