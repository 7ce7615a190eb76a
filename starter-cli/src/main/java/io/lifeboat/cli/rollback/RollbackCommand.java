package io.lifeboat.cli.rollback;

import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.AppWait;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.rollback.ApplicationRollbackWorkflow;
import io.lifeboat.rollback.RollbackProgress;
import io.lifeboat.rollback.RollbackResult;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollback", description = "Roll back to an earlier release.",
    subcommands = {RollbackCommand.App.class})
public final class RollbackCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "app", description = "Roll an application back to previous/ or to a stored backup"
      + " (stop, swap, npm ci --omit=dev, start, verify), timed against the application RTO.")
  static final class App implements Callable<Integer> {
    @ParentCommand RollbackCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", arity = "0..1",
        description = "application name from the config (optional when there is one)")
    String name;

    @Option(names = "--to", paramLabel = "BACKUP_ID",
        description = "a backup in the repository (default: the local previous/ release)")
    String to;

    @Mixin LaunchOptions launchOptions;

    @Override
    public Integer call() {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        ApplicationConfig app = AppPlans.application(s, name);
        if (to != null) requireBackup(s, c, app);
        WorkflowClient client = s.temporal().client();
        WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out, AppPlans.rollbackId(c, app));
        String id = launch.workflowId();
        ApplicationRollbackWorkflow wf = client.newWorkflowStub(ApplicationRollbackWorkflow.class,
            launch.options(AppPlans.options(c, id, AppPlans.ROLLBACK, null)));
        return launch
            .refuseIfRunningUnder(ApplicationRollbackWorkflow.legacyIds(c.estate(), app.name()),
                running -> "a rollback of " + app.name() + " is already running (" + running
                    + "); not starting another")
            .start(() -> WorkflowClient.start(wf::rollback,
                    ApplicationRollbackWorkflow.request(c, app, to)),
                "a rollback of " + app.name() + " is already running (" + id + "); follow it: "
                    + launch.link())
            .startedLine("started rollback of " + app.name() + ": " + id + "\n  " + launch.link())
            .followingLine("rolling back " + app.name() + " to " + (to == null ? "previous/" : to)
                + " (" + id + "), RTO " + c.targets().applicationRtoMinutes() + " min")
            .followAndPrint(show -> AppWait.await(client, id, RollbackResult.class, out, show,
                "rollback", stub -> {
                  RollbackProgress p = stub.query("progress", RollbackProgress.class);
                  return String.format("%-22s %s of %s RTO (%s)", p.step(),
                      Bytes.duration(p.elapsedMillis()), Bytes.duration(p.rtoMillis()),
                      p.rtoStatus());
                }), (r, link) -> print(out, r, link));
      }
    }

    /** A named backup must exist before anything starts: a typo is bad input, not a failure. */
    private void requireBackup(Session s, LifeboatConfig c, ApplicationConfig app) {
      if (!RepositoryLayout.isBackupId(to)) { // either id shape, old or unique
        throw new UserError("--to takes a backup id such as 20261121T030000Z.123-4f9a2c1d-1a2b3c4d"
            + " (or an older 20261121T030000Z-1a2b3c4d), not '"
            + to + "'");
      }
      String manifest = RepositoryLayout.appBackupDir(c.repository().prefix(), app.name(), to)
          + RepositoryLayout.MANIFEST;
      if (!s.repository().exists(manifest)) {
        throw new UserError("no committed backup " + to + " of " + app.name() + " in s3://"
            + c.repository().bucket() + "/" + c.repository().prefix()
            + " (lifeboat backups list --app " + app.name() + ")");
      }
    }

    private static void print(PrintWriter out, RollbackResult r, String link) {
      out.println();
      out.println(r.application() + " rolled back to " + r.release().source() + " (commit "
          + r.release().commit() + ") in " + Bytes.duration(r.elapsedMillis()) + " of "
          + Bytes.duration(r.rtoMillis()) + " RTO: " + r.rtoStatus());
      out.println("  before      pm2 " + r.before().pm2Status() + ", " + r.before().healthDetail());
      out.println("  after       " + String.join("; ", r.health().checks()));
      if (r.swap().replacedDir() != null) {
        out.println("  replaced    kept in " + r.swap().replacedDir());
      }
      for (var t : r.steps()) {
        out.printf("    %-22s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
      }
      if (r.reportKey() != null) out.println("  report      " + r.reportKey());
      out.println("  workflow    " + link);
    }
  }
}
