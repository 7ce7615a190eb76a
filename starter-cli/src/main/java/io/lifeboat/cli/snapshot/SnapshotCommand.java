package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.snapshot.DatabasePoint;
import io.lifeboat.snapshot.RestorePointManifest;
import io.lifeboat.snapshot.RestorePointWorkflow;
import io.lifeboat.snapshot.RestorePoints;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "snapshot", description = {
    "Take one restore point across the estate: pg_create_restore_point(NAME) on every database",
    "(archived at once), an application backup of every application and a configuration backup,",
    "recorded as points/NAME.json in the repository. Recover a database to it with",
    "`recover db NAME --to-point NAME`."})
public final class SnapshotCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;
  @Mixin LaunchOptions launchOptions;

  @Parameters(paramLabel = "NAME",
      description = "the point's name: letters, digits, '.', '_', '-' (at most 63)")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    if (!RestorePointWorkflow.validName(name)) {
      throw new UserError("'" + name + "' is not a restore point name: letters, digits, '.',"
          + " '_', '-', at most 63, starting with a letter or digit");
    }
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      if (RestorePoints.read(s.repository(), c.repository().prefix(), name).isPresent()) {
        throw new UserError("restore point " + name + " already exists; pick another name"
            + " (lifeboat snapshot NAME)");
      }
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          RestorePointWorkflow.workflowId(c.estate(), name));
      String id = launch.workflowId();
      RestorePointWorkflow wf = client.newWorkflowStub(RestorePointWorkflow.class,
          launch.options(WorkflowOptions.newBuilder().setTaskQueue(c.temporal().taskQueue())));
      return launch
          .start(() -> WorkflowClient.start(wf::snapshot, RestorePointWorkflow.request(c, name)),
              "restore point " + name + " is already being taken (" + id + ")")
          .startedLine("taking restore point " + name + ": " + id + "\n  " + launch.link())
          .followingLine("taking restore point " + name + " (" + id + ")")
          .followAndPrint(show -> WorkflowWait.await(client, id, RestorePointManifest.class, out,
                  show, "restore point " + name),
              (m, link) -> print(out, m, link));
    }
  }

  static void print(PrintWriter out, RestorePointManifest m, String link) {
    out.println("restore point " + m.name() + " taken");
    for (DatabasePoint d : m.databases()) {
      out.printf("  database %-24s %s%n", d.database(), d.skipped() != null
          ? "skipped: " + d.skipped() : "LSN " + d.lsn() + " (" + d.segment() + ", archived)");
    }
    for (Map.Entry<String, String> a : m.applicationBackups().entrySet()) {
      out.printf("  application %-21s backup %s%n", a.getKey(), a.getValue());
    }
    if (m.configurationBackup() != null) {
      out.printf("  configuration %19s backup %s%n", "", m.configurationBackup());
    }
    out.println("  workflow    " + link);
  }
}
