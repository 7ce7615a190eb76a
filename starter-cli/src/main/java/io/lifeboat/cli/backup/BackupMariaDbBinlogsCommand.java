package io.lifeboat.cli.backup;

import io.lifeboat.backup.mariadb.MariaDbBinlogArchiveRequest;
import io.lifeboat.backup.mariadb.MariaDbBinlogArchiveStatus;
import io.lifeboat.backup.mariadb.MariaDbBinlogArchiveWorkflow;
import io.lifeboat.backup.mariadb.MariaDbBinlogArchiveWorkflowImpl;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.MariaDbSources;
import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.MariaDbConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "mariadb-binlogs", description = {
    "Continuous binlog archiving of one MariaDB server: a long-running workflow that every",
    "mariadb[].binlogArchiveSeconds (default 60) closes the current binlog (FLUSH BINARY LOGS)",
    "and ships every closed binlog not yet archived, checksummed, with a gap check. Starting it",
    "again while it runs changes nothing; --status shows it, --stop ends it."})
public final class BackupMariaDbBinlogsCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "mariadb[].name from the config")
  String name;

  @Option(names = "--status", description = "Show the archiver's passes, newest binlog and"
      + " last failure.")
  boolean status;

  @Option(names = "--stop", description = "End the archiver after its current pass.")
  boolean stop;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    if (status && stop) throw new UserError("--status and --stop exclude each other");
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      MariaDbConfig m = MariaDbSources.named(c, s.configPath(), name);
      WorkflowClient client = s.temporal().client();
      String id = MariaDbBinlogArchiveWorkflow.workflowId(c.estate(), m.name());
      boolean running = io.lifeboat.cli.WorkflowLaunch.stillRunning(client, id);
      if (status || stop) {
        if (!running) {
          out.println("binlog archiving of mariadb " + m.name() + " is not running (" + id + ")");
          return 0;
        }
        MariaDbBinlogArchiveWorkflow wf = client.newWorkflowStub(
            MariaDbBinlogArchiveWorkflow.class, id);
        if (stop) {
          wf.stop();
          out.println("binlog archiving of mariadb " + m.name() + " stops after its current"
              + " pass (" + id + ")");
        } else {
          print(out, m, id, wf.status());
        }
        return 0;
      }
      start(client, c, m, out);
      return 0;
    }
  }

  /**
   * Starts the archiver of M unless it runs (shared with `schedules apply`, which keeps the
   * archivers of binlogArchive: true sources running); says which, in one line.
   *
   * @return whether this call started it
   */
  public static boolean start(WorkflowClient client, LifeboatConfig c, MariaDbConfig m,
      PrintWriter out) {
    String id = MariaDbBinlogArchiveWorkflow.workflowId(c.estate(), m.name());
    if (!io.lifeboat.cli.WorkflowLaunch.stillRunning(client, id)) {
      MariaDbBinlogArchiveWorkflow wf = client.newWorkflowStub(
          MariaDbBinlogArchiveWorkflow.class, MonitoringPlans.options(c, id,
              MariaDbBinlogArchiveWorkflowImpl.KIND_MARIADB_BINLOGS).build());
      try {
        WorkflowClient.start(wf::archive, new MariaDbBinlogArchiveRequest(m, c.repository(),
            c.retries(), m.binlogArchiveSeconds(), 0, null));
        out.println("binlog archiving of mariadb " + m.name() + " started: a pass every "
            + m.binlogArchiveSeconds() + " s (" + id + ")");
        return true;
      } catch (WorkflowExecutionAlreadyStarted e) {
        // started by another caller between the look and the start: running, as asked
      }
    }
    out.println("binlog archiving of mariadb " + m.name() + " is already running (" + id + ")");
    return false;
  }

  private static void print(PrintWriter out, MariaDbConfig m, String id,
      MariaDbBinlogArchiveStatus st) {
    out.println("binlog archiving of mariadb " + m.name() + " is running (" + id + ")");
    out.println("  passes        " + st.passes());
    out.println("  last pass     " + (st.lastPassAt() == null ? "-" : st.lastPassAt()));
    out.println("  newest binlog " + (st.lastArchived() == null ? "-" : st.lastArchived()));
    out.println("  last failure  " + (st.lastError() == null ? "none" : st.lastError()));
  }
}
