package io.lifeboat.cli.backup;

import io.lifeboat.backup.app.ApplicationBackupWorkflow;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactBackupStatus;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.AppWait;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.WorkflowIds;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
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
  @Mixin LaunchOptions launchOptions;

  @Parameters(paramLabel = "NAME", arity = "0..1",
      description = "application name from the config (optional when there is one)")
  String name;

  @Option(names = "--after-deploy", description = "mark the backup as taken after a deployment")
  boolean afterDeploy;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      ApplicationConfig app = AppPlans.application(s, name);
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          WorkflowIds.manual(AppPlans.appBackupId(c, app)));
      String id = launch.workflowId();
      ApplicationBackupWorkflow wf = client.newWorkflowStub(ApplicationBackupWorkflow.class,
          launch.options(AppPlans.options(c, id, AppPlans.APP, null)));
      return launch
          .refuseIfRunningUnder(ApplicationBackupWorkflow.legacyIds(c.estate(), app.name())
                  .stream().map(WorkflowIds::manual).toList(),
              running -> "a backup of " + app.name() + " is already running (" + running + ")")
          .start(() -> WorkflowClient.start(wf::backup, ApplicationBackupWorkflow.request(c, app,
                  afterDeploy ? "deployment" : "manual")),
              "a backup of " + app.name() + " is already running (" + id + ")")
          .startedLine("started backup of " + app.name() + ": " + id + "\n  " + launch.link())
          .followingLine("backing up " + app.name() + " (" + id + ")")
          .followAndPrint(show -> AppWait.await(client, id, ArtifactBackupResult.class, out, show,
                  "backup", stub -> stub.query("status", ArtifactBackupStatus.class).step()),
              (r, link) -> ArtifactSummary.print(out, c, r, link));
    }
  }
}
