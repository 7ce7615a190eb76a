package io.lifeboat.config;

/** How long backups are kept. The newest backup of a source is never deleted, whatever its age. */
public record RetentionConfig(Integer fullDays) {
  public static final RetentionConfig DEFAULT = new RetentionConfig(null);

  public RetentionConfig {
    fullDays = fullDays != null ? fullDays : 30;
  }
}
