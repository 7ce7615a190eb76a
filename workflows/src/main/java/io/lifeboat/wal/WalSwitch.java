package io.lifeboat.wal;

/**
 * What forcing a segment switch told us.
 *
 * @param neededSegment the last segment holding WAL written before the switch: once it is
 *     archived, nothing written before the check can be lost
 * @param requestedAtMillis when the switch was requested (worker clock)
 */
public record WalSwitch(int timeline, String switchLsn, String neededSegment, long segmentSize,
    long archiverFailedCount, String lastFailedWal, long requestedAtMillis) {}
