package io.lifeboat.backup.artifact;

import io.lifeboat.config.RepositoryConfig;

/** Keeps the newest {@code keep} committed backups under root (a backups root with a slash). */
public record KeepNewestRequest(RepositoryConfig repository, String root, int keep) {}
