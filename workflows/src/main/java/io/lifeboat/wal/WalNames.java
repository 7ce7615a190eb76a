package io.lifeboat.wal;

import java.util.Locale;

/**
 * WAL file-name arithmetic, as PostgreSQL defines it (xlog_internal.h): a segment name is
 * timeline, then the segment number split into "log" and "seg" parts of 8 hex digits each, and
 * a segment number is an LSN divided by the segment size. Pure functions: workflows and
 * activities both use them.
 */
public final class WalNames {
  private WalNames() {}

  public static boolean isSegment(String name) {
    return name != null && name.matches("[0-9A-F]{24}");
  }

  public static boolean isHistory(String name) {
    return name != null && name.matches("[0-9A-F]{8}\\.history");
  }

  /** Segments, their .partial and .backup companions, and timeline history files. */
  public static boolean isArchivable(String name) {
    return isHistory(name)
        || name != null && name.matches("[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?");
  }

  public static int timeline(String walFileName) {
    return Integer.parseUnsignedInt(walFileName.substring(0, 8), 16);
  }

  private static long segmentsPerLog(long segmentSize) {
    return 0x1_0000_0000L / segmentSize;
  }

  /** The segment number of a segment name (timeline ignored). */
  public static long segmentNumber(String segment, long segmentSize) {
    long log = Long.parseLong(segment.substring(8, 16), 16);
    long seg = Long.parseLong(segment.substring(16, 24), 16);
    return log * segmentsPerLog(segmentSize) + seg;
  }

  public static String segmentName(int timeline, long segmentNumber, long segmentSize) {
    long per = segmentsPerLog(segmentSize);
    return String.format(Locale.ROOT, "%08X%08X%08X", timeline, segmentNumber / per,
        segmentNumber % per);
  }

  /** The segment after this one on the same timeline. */
  public static String next(String segment, long segmentSize) {
    return segmentName(timeline(segment), segmentNumber(segment, segmentSize) + 1, segmentSize);
  }

  /** "16/B374D848" → its 64-bit position. */
  public static long parseLsn(String lsn) {
    int slash = lsn.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not an LSN: " + lsn);
    return (Long.parseLong(lsn.substring(0, slash), 16) << 32)
        | Long.parseLong(lsn.substring(slash + 1), 16);
  }

  public static String formatLsn(long lsn) {
    return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
  }

  /** The segment that holds the byte at this LSN. */
  public static String segmentOf(int timeline, String lsn, long segmentSize) {
    return segmentName(timeline, parseLsn(lsn) / segmentSize, segmentSize);
  }

  /**
   * The segment holding the last byte before this LSN: a backup's end LSN that sits exactly on
   * a segment boundary needs only the segments before it (PostgreSQL's XLByteToPrevSeg).
   */
  public static String segmentBefore(int timeline, String lsn, long segmentSize) {
    long pos = parseLsn(lsn);
    return segmentName(timeline, Math.max(0, pos - 1) / segmentSize, segmentSize);
  }

  public static String historyName(int timeline) {
    return String.format(Locale.ROOT, "%08X.history", timeline);
  }
}
