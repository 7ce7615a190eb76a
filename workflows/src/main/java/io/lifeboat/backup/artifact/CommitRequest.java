package io.lifeboat.backup.artifact;

import io.lifeboat.config.RepositoryConfig;

/** Writes the manifest at manifestKey, after checking the archive it names is stored. */
public record CommitRequest(RepositoryConfig repository, String manifestKey, ArtifactManifest manifest) {}
