package io.lifeboat.workflows.offsite;

import java.util.List;

/**
 * @param copiedKeys keys relative to the prefix of everything written to the offsite bucket
 * @param backupsCopied directories (relative) whose manifest was copied in this run
 * @param incomplete directories without a manifest in the primary: a backup still running or
 *     one that failed; never copied
 */
public record CopyResult(String scope, int copied, int skipped, long bytesCopied,
    List<String> copiedKeys, List<String> backupsCopied, List<String> incomplete) {

  public CopyResult {
    copiedKeys = copiedKeys == null ? List.of() : List.copyOf(copiedKeys);
    backupsCopied = backupsCopied == null ? List.of() : List.copyOf(backupsCopied);
    incomplete = incomplete == null ? List.of() : List.copyOf(incomplete);
  }
}
