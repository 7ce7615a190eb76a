package io.lifeboat.check;

import java.util.List;

/**
 * The findings for one source.
 *
 * @param newestAgeSeconds age of the newest committed backup, -1 when there is none
 * @param problems one line each, naming the source and what is wrong; empty when all is well
 */
public record SourceCheck(String kind, String source, int backups, String newestBackupId,
    long newestAgeSeconds, boolean fresh, boolean retentionCompliant, List<String> problems) {

  public SourceCheck {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public boolean passed() {
    return fresh && retentionCompliant;
  }
}
