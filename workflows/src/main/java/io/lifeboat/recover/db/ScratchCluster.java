package io.lifeboat.recover.db;

/**
 * The new data directory a point-in-time recovery builds beside the damaged one, and the port
 * its server listens on until it has been verified and swapped in.
 *
 * @param dataDirectory the live data directory that will be replaced (kept, renamed)
 * @param newDirectory the directory the base backup is extracted into: a sibling, so the swap
 *     is two renames on one file system
 * @param spoolDirectory where the worker puts WAL ahead of the startup process
 * @param scratchPort where the new server answers before the swap
 */
public record ScratchCluster(
    String dataDirectory, String newDirectory, String spoolDirectory, int scratchPort) {}
