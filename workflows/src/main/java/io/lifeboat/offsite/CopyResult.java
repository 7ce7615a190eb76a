package io.lifeboat.offsite;

import java.util.List;

/**
 * @param copiedKeys keys relative to the prefix of what was written to the offsite bucket, at
 *     most {@link #MAX_KEYS} (a result is a payload in the history, which has a size limit)
 * @param keysTruncated more were copied than listed: verify the whole scope instead
 * @param backupsCopied directories (relative) whose manifest was copied in this run
 * @param incomplete directories without a manifest in the primary: a backup still running or
 *     one that failed; never copied
 * @param walPrimaryNewestMillis for a WAL scope ({@code wal/NAME/}): the newest segment's
 *     recorded write time in the primary, listed again after the copy; null otherwise
 * @param walOffsiteNewestMillis the same in the offsite bucket after the copy
 */
public record CopyResult(String scope, int copied, int skipped, long bytesCopied,
    List<String> copiedKeys, List<String> backupsCopied, List<String> incomplete,
    boolean keysTruncated, Long walPrimaryNewestMillis, Long walOffsiteNewestMillis) {

  /** About 100 KB of keys; a first sync of a big WAL archive copies many more objects. */
  public static final int MAX_KEYS = 1000;

  public CopyResult {
    copiedKeys = copiedKeys == null ? List.of() : List.copyOf(copiedKeys);
    backupsCopied = backupsCopied == null ? List.of() : List.copyOf(backupsCopied);
    incomplete = incomplete == null ? List.of() : List.copyOf(incomplete);
  }

  public CopyResult(String scope, int copied, int skipped, long bytesCopied,
      List<String> copiedKeys, List<String> backupsCopied, List<String> incomplete) {
    this(scope, copied, skipped, bytesCopied, copiedKeys, backupsCopied, incomplete, false);
  }

  public CopyResult(String scope, int copied, int skipped, long bytesCopied,
      List<String> copiedKeys, List<String> backupsCopied, List<String> incomplete,
      boolean keysTruncated) {
    this(scope, copied, skipped, bytesCopied, copiedKeys, backupsCopied, incomplete,
        keysTruncated, null, null);
  }

  /** This result with the newest WAL write times of both sides (a WAL scope). */
  public CopyResult withWalNewest(Long primaryMillis, Long offsiteMillis) {
    return new CopyResult(scope, copied, skipped, bytesCopied, copiedKeys, backupsCopied,
        incomplete, keysTruncated, primaryMillis, offsiteMillis);
  }

  /**
   * How far the offsite's WAL is behind the primary's, in seconds (newest write time primary
   * minus offsite, 0 when level); null when not a WAL scope or either side has no segment
   * with a recorded write time.
   */
  public Long walLagSeconds() {
    if (walPrimaryNewestMillis == null || walOffsiteNewestMillis == null) return null;
    return Math.max(0, (walPrimaryNewestMillis - walOffsiteNewestMillis) / 1000);
  }
}
