package io.lifeboat.backup.dump;

import io.lifeboat.config.RepositoryConfig;

/** Remove what a failed backup left under its directory: parts, objects, local files. */
public record DiscardRequest(RepositoryConfig repository, String database, String backupId) {}
