package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.workflows.app.ArtifactBackupResult;
import io.lifeboat.workflows.app.ArtifactBackupStatus;
import io.lifeboat.workflows.app.ConfigurationBackupWorkflow;
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
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Back up the configuration now (nginx, PM2, system files, Jenkins casc).")
final class BackupConfigCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

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
      if (c.configuration().isEmpty()) {
        throw new UserError(s.configPath() + " lists nothing to back up under 'configuration:'"
            + " (files, nginxDir, ecosystemFile, jenkinsCascFile)");
      }
      WorkflowClient client = s.temporal().client();
      String workflowId = AppPlans.configBackupId(c) + "-manual";
      ConfigurationBackupWorkflow wf = client.newWorkflowStub(ConfigurationBackupWorkflow.class,
          AppPlans.options(c, workflowId, AppPlans.CONFIG, taskQueue)
              .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
              .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
              .build());
      try {
        WorkflowClient.start(wf::backup, AppPlans.configBackup(c));
      } catch (WorkflowExecutionAlreadyStarted e) {
        throw new UserError("a configuration backup is already running (" + workflowId + ")");
      }
      String link = s.temporal().webLink(workflowId);
      if (!waitForIt) {
        out.println(json ? Json.write(Map.of("workflowId", workflowId, "webUi", link))
            : "started configuration backup: " + workflowId + "\n  " + link);
        return 0;
      }
      if (!json) out.println("backing up the configuration (" + workflowId + ")");
      ArtifactBackupResult r = AppWait.await(client, workflowId, ArtifactBackupResult.class, out,
          !json, "configuration backup",
          stub -> stub.query("status", ArtifactBackupStatus.class).step());
      if (json) {
        out.println(Json.write(r));
      } else {
        ArtifactSummary.print(out, c, r, link);
      }
      return 0;
    }
  }
}
