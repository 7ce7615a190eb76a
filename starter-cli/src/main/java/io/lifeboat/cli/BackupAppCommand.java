package io.lifeboat.cli;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.workflows.app.ApplicationBackupWorkflow;
import io.lifeboat.workflows.app.ArtifactBackupResult;
import io.lifeboat.workflows.app.ArtifactBackupStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "app", description = "Back up an application release now (tar.gz of current/).")
final class BackupAppCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", arity = "0..1",
      description = "application name from the config (optional when there is one)")
  String name;

  @Option(names = "--after-deploy", description = "mark the backup as taken after a deployment")
  boolean afterDeploy;

  @Option(names = "--wait", description = "show progress and wait for the summary")
  boolean waitForIt;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Option(names = "--task-queue", hidden = true)
  String taskQueue;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      ApplicationConfig app = AppPlans.application(s, name);
      WorkflowClient client = s.temporal().client();
      String workflowId = AppPlans.appBackupId(app) + "-manual";
      ApplicationBackupWorkflow wf = client.newWorkflowStub(ApplicationBackupWorkflow.class,
          AppPlans.options(c, workflowId, AppPlans.APP, taskQueue)
              .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
              .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
              .build());
      try {
        WorkflowClient.start(wf::backup,
            AppPlans.appBackup(c, app, afterDeploy ? "deployment" : "manual"));
      } catch (WorkflowExecutionAlreadyStarted e) {
        throw new UserError("a backup of " + app.name() + " is already running (" + workflowId + ")");
      }
      String link = s.temporal().webLink(workflowId);
      if (!waitForIt) {
        out.println(json ? Json.write(Map.of("workflowId", workflowId, "webUi", link))
            : "started backup of " + app.name() + ": " + workflowId + "\n  " + link);
        return 0;
      }
      if (!json) out.println("backing up " + app.name() + " (" + workflowId + ")");
      ArtifactBackupResult r = AppWait.await(client, workflowId, ArtifactBackupResult.class, out,
          !json, "backup", stub -> stub.query("status", ArtifactBackupStatus.class).step());
      if (json) {
        out.println(Json.write(r));
      } else {
        ArtifactSummary.print(out, c, r, link);
      }
      return 0;
    }
  }
}
