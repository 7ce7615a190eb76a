package io.lifeboat.recover.db;

/**
 * @param endLsn where the promoted server's new timeline begins
 * @param timeline the new timeline
 * @param walSegments segments fetched from the repository for the replay
 * @param stoppedAt what the server logged when recovery stopped ("recovery stopping before
 *     commit of transaction ..., time ..."), or null for the end of the archive
 */
public record ReplayResult(String endLsn, int timeline, int walSegments, String stoppedAt) {}
