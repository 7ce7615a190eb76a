package io.lifeboat.recover.db;

/**
 * What assess found. A server that does not answer is a fact, not a failure: recovering a
 * server whose data directory is gone is the point of a base backup.
 *
 * @param reachable SELECT 1 answered
 * @param dataDirectory the server's data directory (SHOW data_directory), or null when unknown
 * @param problem why the server did not answer, when it did not
 */
public record ClusterFacts(
    boolean reachable, String serverVersion, long sizeBytes, String dataDirectory,
    String problem) {}
