package io.lifeboat.verify;

import java.util.List;

/**
 * @param tables tables in the restored copy (user schemas)
 * @param queries each validation query's value and whether it met its minimum
 */
public record RestoreCheckResult(int tables, List<QueryResult> queries) {
  public record QueryResult(String name, String sql, String value, Long minimum, boolean passed) {}
}
