package io.lifeboat.cli.report;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.MarkdownReport;
import io.lifeboat.run.RunReport;
import io.lifeboat.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Prints the stored report of a recovery, rollback or drill. It reads the repository, not
 * Temporal, so reports stay readable after the workflow history is gone.
 */
@Command(name = "report", description = "Print the report of a recovery, rollback or drill.")
public final class ReportCommand implements Callable<Integer> {
  private static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "WORKFLOW_ID", description = "the workflow id the run was started with")
  String workflowId;

  @Option(names = "--json", description = "print the report's JSON")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE",
      description = "also write the report as a self-contained HTML page with a timeline")
  java.nio.file.Path html;

  @Override
  public Integer call() throws IOException {
    if (!WORKFLOW_ID.matcher(workflowId).matches()) {
      throw new UserError("not a workflow id: '" + workflowId
          + "' (letters, digits, '.', '_', ':' and '-' only; a scheduled run's id ends in its time)");
    }
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      ObjectStore store = s.repository();
      String marker = "/" + workflowId + "/";
      // Keys end in STARTED-MS/report.json (STARTED/ before 2026-12-06), and that part sorts by
      // time: the last one is the newest.
      List<String> runs = store.list(RepositoryLayout.reportsRoot(s.config().repository().prefix()))
          .stream().filter(k -> k.contains(marker) && k.endsWith("/report.json"))
          .sorted(Comparator.comparing(ReportCommand::startedPart)).toList();
      if (runs.isEmpty()) {
        throw new UserError("no report for workflow '" + workflowId + "' in s3://"
            + s.config().repository().bucket() + "/" + s.config().repository().prefix()
            + " (a report is stored when a recovery, rollback or drill ends)");
      }
      RunReport report;
      try (InputStream in = store.get(runs.get(runs.size() - 1))) {
        report = Json.MAPPER.readValue(in, RunReport.class);
      }
      if (html != null) {
        try {
          java.nio.file.Files.writeString(html, io.lifeboat.run.HtmlReport.render(report));
        } catch (IOException e) {
          throw new UserError("cannot write " + html + ": " + e.getClass().getSimpleName());
        }
      }
      out.print(json ? Json.write(report) + "\n" : MarkdownReport.render(report));
      out.flush();
      return 0;
    }
  }

  private static String startedPart(String key) {
    String[] parts = key.split("/");
    return parts[parts.length - 2];
  }
}
