package io.lifeboat.offsite;

import java.util.List;

/**
 * @param expired backup directories removed (relative keys)
 * @param skipped directories that were due but refused deletion, each with the reason (an
 *     Object Lock that has not run out yet is the usual one): not an error
 */
public record OffsiteRetentionResult(List<String> expired, List<String> skipped) {
  public OffsiteRetentionResult {
    expired = expired == null ? List.of() : List.copyOf(expired);
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }
}
