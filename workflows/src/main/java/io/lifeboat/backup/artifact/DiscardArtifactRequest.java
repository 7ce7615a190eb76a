package io.lifeboat.backup.artifact;

import io.lifeboat.config.RepositoryConfig;

/** Removes everything under one backup's directory, manifest first. */
public record DiscardArtifactRequest(RepositoryConfig repository, String directory) {}
