package io.lifeboat.backup.mariadb;

import io.lifeboat.config.RepositoryConfig;
import java.util.List;
import java.util.Map;

/**
 * Read back the stored dump and restore it into a scratch server.
 *
 * @param before CHECKSUM TABLE of the source just before the dump
 * @param after the same just after it: a table whose two checksums agree must restore with that
 *     checksum; one that changed meanwhile can only be checked for being there
 */
public record MariaDbVerifyRequest(RepositoryConfig repository, String objectKey,
    String expectedSha256, long expectedBytes, List<String> databases,
    Map<String, Long> before, Map<String, Long> after) {}
