package io.lifeboat.run;

import io.lifeboat.run.RunReport;

/** "Database recovery: farmtally_production", the same in every form of a report. */
final class ReportTitle {
  private ReportTitle() {}

  static String of(RunReport r) {
    String t = r.kind().replace('-', ' ');
    return Character.toUpperCase(t.charAt(0)) + t.substring(1) + ": " + r.subject();
  }
}
