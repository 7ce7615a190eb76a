package io.lifeboat.wal;

import java.util.List;

/**
 * The archive check's findings.
 *
 * @param continuous every segment from {@link #fromSegment} to {@link #toSegment} is archived on
 *     the timeline recovery would follow (history files included)
 * @param gaps the first missing segments (at most 20); {@link #gapCount} counts all
 * @param rpoAchievedSeconds see docs: the time from the forced switch until its segment was
 *     stored, or, when it was not stored in time (or the server could not be asked), the age
 *     of the newest archived segment
 * @param note anything that limits what the check could say, in words; null when nothing
 */
public record WalCheckResult(
    String database,
    boolean continuous,
    int gapCount,
    List<String> gaps,
    String fromSegment,
    String toSegment,
    long segmentsChecked,
    List<Integer> timelines,
    String oldestBaseBackupId,
    String newestSegment,
    String newestArchivedAt,
    String switchedSegment,
    boolean switchedSegmentArchived,
    long archiveWaitMillis,
    long rpoAchievedSeconds,
    long rpoTargetSeconds,
    boolean rpoMet,
    long archiverFailedCount,
    String lastFailedWal,
    String note) {}
