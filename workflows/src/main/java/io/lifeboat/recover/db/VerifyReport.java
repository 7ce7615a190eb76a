package io.lifeboat.recover.db;

import java.util.List;

/** Each validation query's name and value, as the report lists them. */
public record VerifyReport(List<Check> checks) {
  public record Check(String name, String value, String expectation) {}
}
