package io.lifeboat.recover.db;

/**
 * Heartbeat details of the long recovery activities, read by the CLI's progress line.
 *
 * @param phase download, extract, replay, restore
 * @param bytesDone stored bytes read so far (download, restore)
 * @param bytesTotal stored bytes in all
 * @param replayLsn the scratch server's pg_last_wal_replay_lsn() during replay
 * @param walSegmentsFetched segments handed to the scratch server so far
 */
public record RestoreProgress(
    String phase, long bytesDone, long bytesTotal, String replayLsn, int walSegmentsFetched) {}
