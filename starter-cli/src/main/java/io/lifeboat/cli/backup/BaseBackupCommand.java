package io.lifeboat.cli.backup;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_DB_BASE;

import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.backup.base.BaseBackupResult;
import io.lifeboat.backup.base.BaseBackupWorkflow;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lifeboat backup base NAME}: a physical base backup now, the start of PITR. */
@Command(name = "base", description = "Take a base backup of NAME's cluster now (pg_basebackup,"
    + " verified with pg_verifybackup against the WAL archive).")
public final class BaseBackupCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "database name from the config")
  String name;

  @Option(names = "--wait", description = "wait for the summary")
  boolean waitForIt;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Option(names = "--task-queue", hidden = true)
  String taskQueue;

  /** The schedule's id and the base of every run's id: {@code BaseBackupWorkflow}'s. */
  public static String workflowIdBase(LifeboatConfig c, DatabaseConfig db) {
    return BaseBackupWorkflow.workflowId(c.estate(), db.name());
  }

  public static WorkflowOptions.Builder options(LifeboatConfig c, DatabaseConfig db, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(DATABASE, db.name()).set(KIND, KIND_DB_BASE).build());
  }

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      DatabaseConfig db = s.database(name);
      WorkflowClient client = s.temporal().client();
      String query = LifeboatSearchAttributes.DATABASE.getName() + "='" + db.name() + "' AND "
          + LifeboatSearchAttributes.KIND.getName() + "='" + KIND_DB_BASE
          + "' AND ExecutionStatus='Running'";
      // Visibility lags: a run that just closed may still be listed, so the server confirms.
      client.listExecutions(query).map(m -> m.getExecution().getWorkflowId())
          .filter(id -> WorkflowLaunch.stillRunning(client, id)).findFirst().ifPresent(id -> {
            throw new UserError("a base backup of " + db.name() + " is already running ("
                + id + "); not starting another");
          });
      String workflowId = WorkflowIds.manual(workflowIdBase(c, db));
      var options = options(c, db, workflowId)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
          .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
      if (taskQueue != null) options.setTaskQueue(taskQueue);
      BaseBackupWorkflow wf = client.newWorkflowStub(BaseBackupWorkflow.class, options.build());
      try {
        WorkflowClient.start(wf::backup, BaseBackupWorkflow.request(c, db));
      } catch (WorkflowExecutionAlreadyStarted e) {
        throw new UserError("a base backup of " + db.name() + " is already running ("
            + workflowId + ")");
      }
      String link = s.temporal().webLink(workflowId);
      if (!waitForIt) {
        out.println(json ? Json.write(Map.of("workflowId", workflowId, "webUi", link))
            : "started base backup of " + db.name() + ": " + workflowId + "\n  " + link);
        return 0;
      }
      if (!json) out.println("base backup of " + db.name() + " (" + workflowId + ")");
      BaseBackupResult r = WorkflowWait.await(client, workflowId, BaseBackupResult.class, out,
          !json, "base backup");
      if (json) {
        out.println(Json.write(r));
        return 0;
      }
      BaseBackupManifest m = r.manifest();
      out.println();
      out.println("base backup " + m.backupId() + " of " + m.database() + " is committed");
      out.printf("  size        %s streamed, %s stored (%s)%n", Bytes.human(m.rawBytes()),
          Bytes.human(m.storedBytes()), m.compression());
      out.println("  WAL         " + m.startWalSegment() + " .. " + m.stopWalSegment()
          + " (LSN " + m.startLsn() + " .. " + m.stopLsn() + ", timeline " + m.timeline() + ")");
      out.println("  location    s3://" + c.repository().bucket() + "/" + m.objectKey());
      out.println("  verified    " + m.verification());
      for (var t : r.steps()) {
        out.printf("    %-18s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
      }
      if (r.retention() != null && !r.retention().expiredBackupIds().isEmpty()) {
        out.println("  expired     " + String.join(", ", r.retention().expiredBackupIds()));
      }
      if (r.retention() != null && r.retention().walFilesRemoved() > 0) {
        out.println("  WAL removed " + r.retention().walFilesRemoved() + " files before "
            + r.retention().oldestKeptStartSegment());
      }
      if (r.retentionWarning() != null) out.println("  warning     " + r.retentionWarning());
      out.println("  workflow    " + link);
      return 0;
    }
  }
}
