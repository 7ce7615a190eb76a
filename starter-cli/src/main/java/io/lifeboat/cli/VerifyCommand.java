package io.lifeboat.cli;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.workflows.common.LifeboatSearchAttributes;
import io.lifeboat.workflows.verify.BackupVerificationWorkflow;
import io.lifeboat.workflows.verify.CheckOutcome;
import io.lifeboat.workflows.verify.VerificationReport;
import io.lifeboat.workflows.verify.VerificationResult;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify the newest backup of each database now: checksum,"
    + " format, a restore into a scratch database and the validation queries.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--wait", description = "wait and print each result; exit 1 if one failed")
  boolean waitForIt;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Option(names = "--database", paramLabel = "NAME", description = "only this database")
  String database;

  @Option(names = "--no-restore", description = "checksum and format only, no scratch restore")
  boolean noRestore;

  @Option(names = "--task-queue", hidden = true)
  String taskQueue;

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      List<DatabaseConfig> dbs = database == null ? c.databases() : List.of(s.database(database));
      WorkflowClient client = s.temporal().client();
      // This estate's runs only, manual or scheduled (their ids start with the schedule id).
      String running = "LifeboatKind='" + LifeboatSearchAttributes.KIND_VERIFY
          + "' AND ExecutionStatus='Running' AND WorkflowId STARTS_WITH '"
          + MonitoringPlans.verifyId(c) + "'";
      client.listExecutions(running).findFirst().ifPresent(e -> {
        throw new UserError("a verification is already running (" + e.getExecution()
            .getWorkflowId() + "); wait for it: " + s.temporal().webLink(
                e.getExecution().getWorkflowId()));
      });
      String workflowId = MonitoringPlans.verifyId(c) + "-manual";
      var options = MonitoringPlans.options(c, workflowId, LifeboatSearchAttributes.KIND_VERIFY)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
          .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
      if (taskQueue != null) options.setTaskQueue(taskQueue);
      BackupVerificationWorkflow wf =
          client.newWorkflowStub(BackupVerificationWorkflow.class, options.build());
      boolean restore = c.verification().restore() && !noRestore;
      try {
        WorkflowClient.start(wf::verify, MonitoringPlans.verification(c, dbs, restore));
      } catch (WorkflowExecutionAlreadyStarted e) {
        throw new UserError("a verification is already running (" + workflowId + ")");
      }
      String link = s.temporal().webLink(workflowId);
      if (!waitForIt) {
        out.println(json ? Json.write(Map.of("workflowId", workflowId, "webUi", link))
            : "started verification of " + dbs.size() + " database(s): " + workflowId + "\n  "
                + link);
        return 0;
      }
      if (!json) out.println("verifying " + dbs.size() + " database(s) (" + workflowId + ")");
      VerificationReport report = await(client, workflowId);
      if (json) {
        out.println(Json.write(Map.of("passed", report.passed(), "report", report,
            "webUi", link)));
      } else {
        print(out, report, link);
      }
      return report.passed() ? 0 : ExitCodes.FAILED;
    }
  }

  private static VerificationReport await(WorkflowClient client, String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    while (true) {
      try {
        return stub.getResult(5, TimeUnit.SECONDS, VerificationReport.class);
      } catch (TimeoutException stillRunning) {
        // keep waiting: a restore of a large database takes a while
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(BackupProgress.explain(e).replace("backup failed",
            "verification failed"));
      }
    }
  }

  static void print(PrintWriter out, VerificationReport report, String link) {
    for (VerificationResult r : report.results()) {
      out.printf("%n%s %s (%s) backup %s%n", r.passed() ? "PASSED" : "FAILED", r.source(),
          r.kind(), r.backupId() == null ? "-" : r.backupId());
      for (CheckOutcome c : r.checks()) {
        out.printf("  %-4s %-28s %s%n", c.passed() ? "ok" : "FAIL", c.name(), c.detail());
      }
      if (r.recordKey() != null) out.println("  record  " + r.recordKey());
    }
    for (String channel : report.notificationFailures()) {
      out.println("warning: the " + channel + " notification could not be delivered");
    }
    out.println();
    out.println(report.passed() ? "all backups verified" : "verification FAILED: "
        + report.results().stream().filter(r -> !r.passed()).map(VerificationResult::source)
            .toList());
    out.println("  workflow " + link);
  }
}
