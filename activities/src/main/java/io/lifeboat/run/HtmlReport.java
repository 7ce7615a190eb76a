package io.lifeboat.run;

import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A run report as one self-contained HTML page (no scripts, no external files: it must open
 * from an auditor's mail or a ticket years later): the facts, and a timeline of the steps drawn
 * against the RTO line in inline SVG.
 */
public final class HtmlReport {
  private static final int WIDTH = 900;
  private static final int LABEL = 190;
  private static final int ROW = 26;

  private HtmlReport() {}

  public static String render(RunReport r) {
    String title = ReportTitle.of(r);
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>").append(esc(title)).append("</title><style>")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2733}")
        .append("h1{font-size:1.4rem}table{border-collapse:collapse;margin:1rem 0}")
        .append("td,th{border:1px solid #cfd6de;padding:.3rem .6rem;text-align:left}")
        .append("th{background:#eef2f6}.met{color:#17713a;font-weight:600}")
        .append(".breached{color:#b3261e;font-weight:600}.none{color:#555}")
        .append("svg text{font:12px system-ui,sans-serif}.human{color:#8a5a00}")
        .append(".legend span{display:inline-block;width:14px;height:10px;margin:0 .3rem 0 1rem}")
        .append("</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");
    h.append("<p class=\"").append(r.rtoStatus()).append("\" id=\"verdict\">")
        .append(esc(verdict(r))).append("</p>\n<table>\n");
    row(h, "Outcome", r.outcome());
    row(h, "Estate", r.estate());
    row(h, "Workflow", r.workflowId() + " (run " + r.runId() + ")");
    row(h, "Started", Instant.ofEpochMilli(r.startedAtMillis()).toString());
    row(h, "Finished", Instant.ofEpochMilli(r.finishedAtMillis()).toString());
    row(h, "Duration", MarkdownReport.duration(r.durationMillis()));
    if (r.humanWaitMillis() > 0) {
      row(h, "Machine time", MarkdownReport.duration(r.machineMillis()));
      row(h, "Waiting for people", MarkdownReport.duration(r.humanWaitMillis()) + " (approvals)");
    }
    if (r.rtoTargetMillis() > 0) row(h, "RTO target", MarkdownReport.duration(r.rtoTargetMillis()));
    for (Map.Entry<String, String> f : r.facts().entrySet()) row(h, f.getKey(), f.getValue());
    h.append("</table>\n");
    if (!r.criteria().isEmpty()) {
      h.append("<h2>Criteria</h2>\n<table id=\"criteria\"><tr><th>Criterion</th><th>Result</th>")
          .append("<th>Evidence</th></tr>\n");
      for (RunReport.Criterion c : r.criteria()) {
        h.append("<tr><td>").append(esc(c.name())).append("</td><td class=\"")
            .append(c.met() ? "met\">met" : "breached\">NOT met").append("</td><td>")
            .append(esc(c.detail())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("<h2>Timeline</h2>\n").append(timeline(r));
    if (r.steps().stream().anyMatch(StepTiming::human)) {
      h.append("<p class=\"legend\"><span style=\"background:#3b7dd8\"></span>machine")
          .append("<span style=\"background:#f0b429\"></span>waiting for a person (approval)")
          .append("<span style=\"background:#b3261e\"></span>failed</p>\n");
    }
    h.append("<table><tr><th>#</th><th>Step</th><th>Outcome</th><th>Started</th><th>Duration</th></tr>\n");
    int i = 1;
    for (StepTiming s : r.steps()) {
      h.append("<tr><td>").append(i++).append("</td><td>").append(esc(s.step()))
          .append(s.host() == null ? "" : " <small>on " + esc(s.host())
              + (s.agent() == null ? "" : " (" + esc(s.agent()) + ")") + "</small>")
          .append("</td><td").append(s.human() ? " class=\"human\">" : ">")
          .append(esc(s.outcome())).append(s.human() ? " (waiting for a person)" : "")
          .append("</td><td>")
          .append(Instant.ofEpochMilli(s.startedAtMillis())).append("</td><td>")
          .append(MarkdownReport.duration(s.durationMillis())).append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (!r.notes().isEmpty()) {
      h.append("<h2>Notes</h2><ul>\n");
      for (String n : r.notes()) h.append("<li>").append(esc(n)).append("</li>\n");
      h.append("</ul>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static String verdict(RunReport r) {
    return switch (r.rtoStatus()) {
      case "met" -> "RTO met: " + MarkdownReport.duration(r.durationMillis()) + " of "
          + MarkdownReport.duration(r.rtoTargetMillis());
      case "breached" -> "RTO breached: " + MarkdownReport.duration(r.durationMillis()) + " against "
          + MarkdownReport.duration(r.rtoTargetMillis()) + (RunReport.SUCCEEDED.equals(r.outcome())
              ? "" : " (the run failed)");
      default -> "No RTO target for this run.";
    };
  }

  /** Bars on a time axis that spans the run or the RTO, whichever is longer. */
  private static String timeline(RunReport r) {
    long span = Math.max(1, Math.max(r.durationMillis(), r.rtoTargetMillis()));
    // Long step names ("database X: restore into scratch") get a wider label column.
    int longest = r.steps().stream().mapToInt(st -> st.step().length()).max().orElse(0);
    int label = Math.max(LABEL, Math.min(380, 7 * longest + 12));
    int plot = WIDTH - label - 20;
    int height = ROW * r.steps().size() + 40;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\""
        + " width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"steps against the RTO\">\n", WIDTH, height));
    s.append("<defs><pattern id=\"waiting\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"")
        .append(" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#f0b429\"/>")
        .append("<rect width=\"3\" height=\"8\" fill=\"#fbe3a1\"/></pattern></defs>\n");
    int y = 10;
    for (StepTiming st : r.steps()) {
      double x0 = label + plot * (double) (st.startedAtMillis() - r.startedAtMillis()) / span;
      double w = Math.max(2, plot * (double) st.durationMillis() / span);
      // Waiting for a person is drawn apart (amber, striped), so machine time reads at a glance.
      boolean failed = !"ok".equals(st.outcome()) && !"approved".equals(st.outcome());
      String color = failed ? "#b3261e" : st.human() ? "url(#waiting)" : "#3b7dd8";
      s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>", y + 14, esc(st.step())))
          .append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\""
              + " fill=\"%s\" class=\"%s\"><title>%s: %s%s</title></rect>\n", x0, y, w, color,
              st.human() ? "bar-human" : "bar-machine", esc(st.step()),
              MarkdownReport.duration(st.durationMillis()),
              st.human() ? " waiting for a person" : ""));
      y += ROW;
    }
    if (r.rtoTargetMillis() > 0) {
      double x = label + plot * (double) r.rtoTargetMillis() / span;
      s.append(String.format(Locale.ROOT, "<line id=\"rto-line\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\""
          + " y2=\"%d\" stroke=\"#b3261e\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>", x, x, y))
          .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#b3261e\""
              + " text-anchor=\"end\">RTO %s</text>\n", x - 4, y + 16,
              MarkdownReport.duration(r.rtoTargetMillis())));
    }
    return s.append("</svg>\n").toString();
  }

  private static void row(StringBuilder h, String k, String v) {
    h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
  }

  /** Everything from the run is text, never markup: a step name cannot inject HTML. */
  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
