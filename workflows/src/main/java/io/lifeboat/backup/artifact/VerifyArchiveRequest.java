package io.lifeboat.backup.artifact;

import io.lifeboat.config.RepositoryConfig;

/**
 * @param linksMayPointAnywhere configuration archives hold /etc's absolute symbolic links
 *     (sites-enabled/x -> /etc/nginx/sites-available/x); entry names are still checked
 */
public record VerifyArchiveRequest(
    RepositoryConfig repository, String objectKey, String expectedSha256, long expectedBytes,
    boolean linksMayPointAnywhere) {}
