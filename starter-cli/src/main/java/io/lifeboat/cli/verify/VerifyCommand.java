package io.lifeboat.cli.verify;

import io.lifeboat.cli.ResultWatch;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.WorkflowIds;
import io.lifeboat.verify.BackupVerificationWorkflow;
import io.lifeboat.verify.CheckOutcome;
import io.lifeboat.verify.VerificationReport;
import io.lifeboat.verify.VerificationResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", description = "Verify the newest backup of each database now: checksum,"
    + " format, a restore into a scratch database and the validation queries.")
public final class VerifyCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Mixin LaunchOptions launchOptions;

  @Option(names = "--database", paramLabel = "NAME", description = "only this database")
  String database;

  @Option(names = "--no-restore", description = "checksum and format only, no scratch restore")
  boolean noRestore;

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      List<DatabaseConfig> dbs = database == null ? c.databases() : List.of(s.database(database));
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          WorkflowIds.manual(MonitoringPlans.verifyId(c)));
      String id = launch.workflowId();
      BackupVerificationWorkflow wf = client.newWorkflowStub(BackupVerificationWorkflow.class,
          launch.options(MonitoringPlans.options(c, id, LifeboatSearchAttributes.KIND_VERIFY)));
      boolean restore = c.verification().restore() && !noRestore;
      // This estate's runs only, manual or scheduled (their ids start with the schedule id).
      Optional<VerificationReport> report = launch
          .refuseIfRunning("LifeboatKind='" + LifeboatSearchAttributes.KIND_VERIFY
                  + "' AND WorkflowId STARTS_WITH '" + MonitoringPlans.verifyId(c) + "'",
              running -> "a verification is already running (" + running + "); wait for it: "
                  + s.temporal().webLink(running))
          .start(() -> WorkflowClient.start(wf::verify,
                  BackupVerificationWorkflow.request(c, dbs, restore)),
              "a verification is already running (" + id + ")")
          .startedLine("started verification of " + dbs.size() + " database(s): " + id + "\n  "
              + launch.link())
          .followingLine("verifying " + dbs.size() + " database(s) (" + id + ")")
          .follow(show -> await(client, id));
      if (report.isEmpty()) return 0;
      VerificationReport r = report.get();
      if (launch.json()) {
        out.println(Json.write(Map.of("passed", r.passed(), "report", r, "webUi", launch.link())));
      } else {
        print(out, r, launch.link());
      }
      return r.passed() ? 0 : ExitCodes.FAILED;
    }
  }

  private static VerificationReport await(WorkflowClient client, String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    ResultWatch<VerificationReport> result = new ResultWatch<>(stub, VerificationReport.class);
    while (true) {
      try {
        // keep waiting: a restore of a large database takes a while
        if (result.closedWithin(30, TimeUnit.SECONDS)) return result.value();
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(WorkflowWait.explain("verification", e));
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
