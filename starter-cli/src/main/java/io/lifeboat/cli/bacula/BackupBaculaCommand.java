package io.lifeboat.cli.bacula;

import io.lifeboat.backup.bacula.BaculaBackupResult;
import io.lifeboat.backup.bacula.BaculaBackupStatus;
import io.lifeboat.backup.bacula.BaculaBackupWorkflow;
import io.lifeboat.backup.bacula.BaculaJob;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.AppWait;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.BaculaConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bacula", description = "Run a job of an existing Bacula Director now through"
    + " bconsole, wait for it, record its JobStatus, bytes, files and times, then restore it"
    + " into bacula[].restoreWhere and compare with bacula[].comparePath.")
public final class BackupBaculaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption configOption;
  @Mixin LaunchOptions launchOptions;

  @Parameters(paramLabel = "NAME", description = "Bacula job name from the config (bacula:)")
  String name;

  @Override
  public Integer call() {
    LifeboatCli root = (LifeboatCli) spec.root().userObject();
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      BaculaConfig b = c.baculaJob(name).orElseThrow(() -> new UserError("unknown bacula job '"
          + name + "': " + s.configPath() + (c.bacula().isEmpty() ? " has no 'bacula:' section"
              : " lists " + c.bacula().stream().map(BaculaConfig::name)
                  .collect(Collectors.joining(", ")))));
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          io.lifeboat.run.WorkflowIds.manual(
              io.lifeboat.run.WorkflowIds.of("bacula", c.estate(), b.name())));
      String id = launch.workflowId();
      BaculaBackupWorkflow wf = client.newWorkflowStub(BaculaBackupWorkflow.class,
          launch.options(AppPlans.options(c, id, LifeboatSearchAttributes.KIND_BACULA, null)));
      return launch
          .start(() -> WorkflowClient.start(wf::backup,
                  BaculaBackupWorkflow.request(c, b, "manual")),
              "a run of bacula job " + b.name() + " is already running (" + id + ")")
          .startedLine("started bacula job " + b.name() + ": " + id + "\n  " + launch.link())
          .followingLine("running bacula job " + b.name() + " (" + id + ")")
          .followAndPrint(show -> AppWait.await(client, id, BaculaBackupResult.class, out, show,
                  "backup", stub -> stub.query("status", BaculaBackupStatus.class).step()),
              (r, link) -> print(out, r, link, id));
    }
  }

  private static void print(PrintWriter out, BaculaBackupResult r, String link, String id) {
    BaculaJob j = r.job();
    out.println();
    out.println("bacula job " + r.source() + " ended OK: JobId " + j.jobId() + ", JobStatus "
        + j.jobStatus() + " (" + j.statusText() + ")");
    out.printf("  files       %d, %s (%d bytes), %d error(s)%n", j.jobFiles(),
        Bytes.human(j.jobBytes()), j.jobBytes(), j.jobErrors());
    out.println("  times       " + j.startTime() + " to " + j.endTime() + " (Director's clock)");
    if (j.firstError() != null) out.println("  warning     " + j.firstError());
    out.println("  restore     " + (r.restore() == null ? "not checked (no restoreWhere)"
        : (r.restore().ok() ? "ok: " : "failed: ") + r.restore().line()));
    for (var t : r.steps()) out.printf("    %-16s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
    if (r.reportKey() != null) out.println("  report      lifeboat report " + id);
    out.println("  workflow    " + link);
  }
}
