package io.lifeboat.offsite;

import java.util.List;

/** @param mismatches one line per object that is missing or differs */
public record VerifyCopyResult(int checked, long bytesRead, List<String> mismatches) {
  public VerifyCopyResult {
    mismatches = mismatches == null ? List.of() : List.copyOf(mismatches);
  }
}
