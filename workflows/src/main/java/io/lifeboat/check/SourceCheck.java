package io.lifeboat.check;

import java.util.List;

/**
 * The findings for one source.
 *
 * @param newestAgeSeconds age of the newest committed backup, -1 when there is none
 * @param problems one line each, naming the source and what is wrong; empty when all is well
 * @param newestAtMillis when the newest backup was taken (its id's time), -1 when there is none
 * @param newestBytes the newest backup's size as its manifest states it (stored bytes; for a
 *     files backup the snapshot's total), -1 when unknown or there is none
 */
public record SourceCheck(String kind, String source, int backups, String newestBackupId,
    long newestAgeSeconds, boolean fresh, boolean retentionCompliant, List<String> problems,
    long newestAtMillis, long newestBytes) {

  public SourceCheck {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** Without the newest backup's time and size: the shape before them. */
  public SourceCheck(String kind, String source, int backups, String newestBackupId,
      long newestAgeSeconds, boolean fresh, boolean retentionCompliant, List<String> problems) {
    this(kind, source, backups, newestBackupId, newestAgeSeconds, fresh, retentionCompliant,
        problems, -1, -1);
  }

  public SourceCheck withNewest(long atMillis, long bytes) {
    return new SourceCheck(kind, source, backups, newestBackupId, newestAgeSeconds, fresh,
        retentionCompliant, problems, atMillis, bytes);
  }

  public boolean passed() {
    return fresh && retentionCompliant;
  }
}
