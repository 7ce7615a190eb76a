package io.lifeboat.run;

import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A run report as an operator reads it, or pastes it into an audit folder. */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(RunReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(ReportTitle.of(r)).append("\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "Outcome", r.outcome());
    row(md, "Estate", r.estate());
    row(md, "Workflow", r.workflowId() + " (run " + r.runId() + ")");
    row(md, "Started", Instant.ofEpochMilli(r.startedAtMillis()).toString());
    row(md, "Finished", Instant.ofEpochMilli(r.finishedAtMillis()).toString());
    row(md, "Duration", duration(r.durationMillis()));
    if (r.humanWaitMillis() > 0) {
      row(md, "Machine time", duration(r.machineMillis()));
      row(md, "Waiting for people", duration(r.humanWaitMillis()) + " (approvals)");
    }
    if (r.rtoTargetMillis() > 0) {
      row(md, "RTO target", duration(r.rtoTargetMillis()));
      row(md, "RTO", r.rtoStatus() + " (" + percent(r.durationMillis(), r.rtoTargetMillis())
          + " of the target used)");
    }
    for (Map.Entry<String, String> f : r.facts().entrySet()) row(md, f.getKey(), f.getValue());
    if (!r.criteria().isEmpty()) {
      md.append("\n## Criteria\n\n| Criterion | Result | Evidence |\n|---|---|---|\n");
      for (RunReport.Criterion c : r.criteria()) {
        md.append("| ").append(cell(c.name())).append(" | ").append(c.met() ? "met" : "NOT met")
            .append(" | ").append(cell(c.detail())).append(" |\n");
      }
    }
    md.append("\n## Steps\n\n| # | Step | Outcome | Started | Duration | Share of RTO |\n")
        .append("|---|---|---|---|---|---|\n");
    int i = 1;
    for (StepTiming s : r.steps()) {
      md.append("| ").append(i++).append(" | ").append(cell(s.step()
              + (s.host() == null ? "" : " (on " + s.host()
                  + (s.agent() == null ? "" : ", " + s.agent()) + ")"))).append(" | ")
          .append(s.outcome()).append(s.human() ? " (waiting for a person)" : "").append(" | ")
          .append(Instant.ofEpochMilli(s.startedAtMillis())).append(" | ")
          .append(duration(s.durationMillis())).append(" | ")
          .append(r.rtoTargetMillis() > 0 ? percent(s.durationMillis(), r.rtoTargetMillis()) : "-")
          .append(" |\n");
    }
    if (!r.notes().isEmpty()) {
      md.append("\n## Notes\n\n");
      for (String n : r.notes()) md.append("- ").append(n).append('\n');
    }
    return md.toString();
  }

  static String duration(long millis) {
    Duration d = Duration.ofMillis(Math.max(0, millis));
    if (d.toHours() > 0) return String.format("%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    if (d.toMinutes() > 0) return String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart());
    return String.format("%.1fs", millis / 1000.0);
  }

  private static String percent(long part, long whole) {
    return String.format("%.0f%%", 100.0 * part / whole);
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(cell(key)).append(" | ").append(cell(value)).append(" |\n");
  }

  /** Table cells cannot hold pipes or line breaks. */
  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
