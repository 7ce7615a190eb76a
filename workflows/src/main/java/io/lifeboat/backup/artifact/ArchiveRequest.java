package io.lifeboat.backup.artifact;

import io.lifeboat.config.RepositoryConfig;
import java.util.List;

/**
 * Streams the sources as tar.gz into the repository.
 *
 * @param excludes path names skipped wherever they appear (node_modules, .git, ...)
 * @param digestEachFile record a SHA-256 per file (the configuration backup's manifest has one)
 */
public record ArchiveRequest(
    RepositoryConfig repository,
    String objectKey,
    List<ArchiveSource> sources,
    List<String> excludes,
    boolean digestEachFile) {}
