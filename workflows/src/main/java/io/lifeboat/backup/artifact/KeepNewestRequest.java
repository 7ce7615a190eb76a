package io.lifeboat.backup.artifact;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetentionConfig;

/**
 * Keeps the newest {@code keep} committed backups under root (a backups root with a slash), and
 * on top of them those the GFS keeps of {@code retention.keep} retain (by the time in their id).
 *
 * @param gfs {@code retention.keep}; null (requests recorded before it reached this kind, or the
 *     setting absent): the count alone, as before
 * @param zone the zone of the GFS periods ({@code schedules.timezone}); null: UTC
 */
public record KeepNewestRequest(RepositoryConfig repository, String root, int keep,
    RetentionConfig.Keep gfs, String zone) {

  /** The count alone: the shape before GFS keeps. */
  public KeepNewestRequest(RepositoryConfig repository, String root, int keep) {
    this(repository, root, keep, null, null);
  }
}
