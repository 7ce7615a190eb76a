package io.lifeboat.cli.wal;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_WAL_CHECK;

import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalCheckResult;
import io.lifeboat.wal.WalCheckWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wal", description = "The WAL archive: check it, list it.",
    subcommands = {WalCommand.Check.class, WalCommand.ListWal.class})
public final class WalCommand {
  @ParentCommand LifeboatCli root;

  /** The schedule's id and the base of every run's id: {@code WalCheckWorkflow}'s. */
  static String workflowIdBase(LifeboatConfig c, DatabaseConfig db) {
    return WalCheckWorkflow.workflowId(c.estate(), db.name());
  }

  static WorkflowOptions.Builder options(LifeboatConfig c, DatabaseConfig db, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(DATABASE, db.name()).set(KIND, KIND_WAL_CHECK).build());
  }

  @Command(name = "check", description = "Force a WAL switch, check the archive is continuous"
      + " from the oldest base backup, and measure the achieved RPO against the target."
      + " Exit 1 when there is a gap or the RPO is missed.")
  static final class Check implements Callable<Integer> {
    @ParentCommand WalCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", description = "database name from the config")
    String name;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(names = "--task-queue", hidden = true)
    String taskQueue;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        DatabaseConfig db = s.database(name);
        WorkflowClient client = s.temporal().client();
        String workflowId = WorkflowIds.manual(workflowIdBase(c, db));
        var options = options(c, db, workflowId)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
        if (taskQueue != null) options.setTaskQueue(taskQueue);
        WalCheckWorkflow wf = client.newWorkflowStub(WalCheckWorkflow.class, options.build());
        try {
          WorkflowClient.start(wf::check, WalCheckWorkflow.request(c, db));
        } catch (WorkflowExecutionAlreadyStarted e) {
          // a check is running: wait for its answer instead
        }
        WalCheckResult r = WorkflowWait.await(client, workflowId, WalCheckResult.class, out,
            false, "WAL check");
        if (json) {
          out.println(Json.write(r));
        } else {
          print(out, r);
        }
        return r.continuous() && r.rpoMet() ? 0 : ExitCodes.FAILED;
      }
    }

    private static void print(PrintWriter out, WalCheckResult r) {
      out.println("WAL archive of " + r.database() + ": "
          + (r.continuous() ? "continuous" : "NOT continuous (" + r.gapCount() + " missing)"));
      if (r.fromSegment() != null) {
        out.println("  checked     " + r.fromSegment() + " .. " + r.toSegment() + " ("
            + r.segmentsChecked() + " segments, timelines " + r.timelines() + ")");
      }
      if (!r.gaps().isEmpty()) out.println("  missing     " + String.join(", ", r.gaps()));
      out.println("  base        " + (r.oldestBaseBackupId() == null ? "none yet"
          : "oldest retained " + r.oldestBaseBackupId()));
      out.println("  newest      " + r.newestSegment() + " stored " + r.newestArchivedAt());
      if (r.switchedSegment() != null) {
        out.println("  switch      " + r.switchedSegment() + (r.switchedSegmentArchived()
            ? " archived " + r.archiveWaitMillis() + " ms after the switch" : " NOT archived yet"));
      }
      out.printf("  RPO         %d s achieved, target %d s: %s%n", r.rpoAchievedSeconds(),
          r.rpoTargetSeconds(), r.rpoMet() ? "met" : "MISSED");
      if (r.archiverFailedCount() > 0) {
        out.println("  archiver    " + r.archiverFailedCount() + " failures, last "
            + r.lastFailedWal());
      }
      if (r.note() != null) out.println("  note        " + r.note());
    }
  }

  @Command(name = "list", description = "What the archive holds for NAME: timelines, segments,"
      + " base backups (reads the repository; no Temporal needed).")
  static final class ListWal implements Callable<Integer> {
    @ParentCommand WalCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", description = "database name from the config")
    String name;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        DatabaseConfig db = s.database(name);
        WalArchive archive = WalArgs.archive(s, db);
        List<String> segments = archive.segments();
        List<BaseBackupManifest> bases =
            new BaseBackups(s.repository(), c.repository().prefix(), db.name()).committed();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("database", db.name());
        r.put("timelines", List.copyOf(archive.timelines()));
        r.put("segments", segments.size());
        r.put("oldestSegment", segments.isEmpty() ? null : segments.get(0));
        r.put("newestSegment", archive.newestSegment(c.wal().segmentSizeBytes()).orElse(null));
        r.put("baseBackups", bases.stream().map(m -> Map.of("backupId", m.backupId(),
            "startWalSegment", m.startWalSegment(), "stopWalSegment", m.stopWalSegment(),
            "storedBytes", m.storedBytes(), "finishedAt", m.finishedAt())).toList());
        if (json) {
          out.println(Json.write(r));
          return 0;
        }
        out.println("WAL archive of " + db.name() + ": " + segments.size() + " segments on"
            + " timelines " + r.get("timelines") + ", " + r.get("oldestSegment") + " .. "
            + r.get("newestSegment"));
        if (bases.isEmpty()) out.println("no base backups yet: lifeboat backup base " + db.name());
        for (BaseBackupManifest m : bases) {
          out.printf("base %s  %s .. %s  %s  %s%n", m.backupId(), m.startWalSegment(),
              m.stopWalSegment(), Bytes.human(m.storedBytes()), m.finishedAt());
        }
        return 0;
      }
    }
  }
}
