package io.lifeboat.cli.backup;

import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.lifeboat.backup.config.ConfigurationBackupWorkflow;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.AppWait;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Back up the configuration now (nginx, PM2, system files, Jenkins casc).")
final class BackupConfigCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;
  @Mixin LaunchOptions launchOptions;

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
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          WorkflowIds.manual(AppPlans.configBackupId(c)));
      String id = launch.workflowId();
      ConfigurationBackupWorkflow wf = client.newWorkflowStub(ConfigurationBackupWorkflow.class,
          launch.options(AppPlans.options(c, id, AppPlans.CONFIG, null)));
      return launch
          .refuseIfRunningUnder(ConfigurationBackupWorkflow.legacyIds(c.estate()).stream()
                  .map(WorkflowIds::manual).toList(),
              running -> "a configuration backup is already running (" + running + ")")
          .start(() -> WorkflowClient.start(wf::backup, ConfigurationBackupWorkflow.request(c)),
              "a configuration backup is already running (" + id + ")")
          .startedLine("started configuration backup: " + id + "\n  " + launch.link())
          .followingLine("backing up the configuration (" + id + ")")
          .followAndPrint(show -> AppWait.await(client, id, ArtifactBackupResult.class, out, show,
                  "configuration backup",
                  stub -> stub.query("status", ArtifactBackupStatus.class).step()),
              (r, link) -> ArtifactSummary.print(out, c, r, link));
    }
  }
}
