package io.lifeboat.cli.recover;

import io.lifeboat.cli.ResultWatch;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.PreviousRun;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.db.PlanRequest;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryPlanner;
import io.lifeboat.recover.db.RecoveryTarget;
import io.lifeboat.recover.server.ServerRecoveryProgress;
import io.lifeboat.recover.server.ServerRecoveryRequest;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.recover.server.ServerRecoveryWorkflow;
import io.lifeboat.recover.server.TargetEstate;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "server", description = {
    "Recover the whole server onto a target from servers: (the runbook's complete server loss):",
    "provision, ansible, database, application, PM2 + nginx, DNS, TLS, HTTPS health.",
    "Human steps wait for `lifeboat approve recover-server-TARGET STEP --by NAME`."})
final class RecoverServerCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand parent;
  @Mixin ConfigOption configOption;

  @Option(names = "--target", paramLabel = "NAME",
      description = "the server to recover onto (servers[].name); needed when there are several")
  String targetName;

  @Option(names = "--from", paramLabel = "REPOSITORY", defaultValue = "primary",
      description = "the repository to read from: primary (repository:, the default) or"
          + " offsite (offsite:, or the first of repositories:), or a name under repositories:")
  String from;

  @Option(names = "--to-point", paramLabel = "POINT",
      description = {"back to a restore point (lifeboat snapshot POINT): the database to its",
          "restore point and the application backup taken with it; default: the latest state",
          "and the newest release"})
  String point;

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      ServerTargetConfig target = pick(c, targetName, s);
      DatabaseConfig db = c.database(target.database()).orElseThrow();
      ApplicationConfig app = c.application(target.application()).orElseThrow();
      String production = TargetEstate.sameAsProduction(target, db, app);
      if (production != null) {
        throw new UserError("target " + target.name() + " is the production server ("
            + production + "); recover onto another target; nothing was started");
      }
      io.lifeboat.config.RepositoryConfig repo;
      try {
        repo = io.lifeboat.config.RepositoryChoice.resolve(c, from);
      } catch (io.lifeboat.config.ConfigException e) {
        throw new UserError(e.getMessage());
      }
      RecoveryPlan plan = preview(s, TargetEstate.database(target, db), repo);
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          ServerRecoveryWorkflow.workflowId(target.name()));
      String id = launch.workflowId();
      ServerRecoveryWorkflow wf = client.newWorkflowStub(ServerRecoveryWorkflow.class,
          launch.options(WorkflowOptions.newBuilder()
              .setTaskQueue(c.temporal().taskQueue())
              .setTypedSearchAttributes(SearchAttributes.newBuilder()
                  .set(LifeboatSearchAttributes.DATABASE, db.name())
                  .set(LifeboatSearchAttributes.KIND, LifeboatSearchAttributes.KIND_SERVER_RECOVERY)
                  .build())));
      ServerRecoveryRequest latest = ServerRecoveryWorkflow.request(c, target, db, app, from)
          .withPreviousSteps(PreviousRun.stepMillis(s,
              io.lifeboat.recover.server.ServerRecoveryWorkflowImpl.REPORT_KIND, id));
      ServerRecoveryRequest request = point == null ? latest
          : latest.toPoint(RecoverCommand.Db.point(s, repo, db.name(), point),
              pointRelease(s, repo, app.name(), point));
      boolean personProvisions = target.provisionPlaybook() == null;
      return launch
          .start(() -> WorkflowClient.start(wf::recover, request),
              "a recovery onto " + target.name() + " is already running (" + id
                  + "); nothing was started: " + launch.link())
          .startedJson("target", target.name())
          .startedJson("databaseBackup", plan.backupId())
          .startedLine("started recovery of the server onto " + target.name() + " (database from "
              + plan.method() + " " + plan.backupId() + "): " + id + "\n  " + launch.link()
              + "\n  waits for: lifeboat approve " + id + " "
              + (personProvisions ? ServerRecoveryWorkflow.STEP_PROVISION : ServerRecoveryWorkflow.STEP_DNS)
              + " --by NAME" + (personProvisions ? " --value ADDRESS" : ""))
          .followingLine("recovering the server onto " + target.name() + " (" + id + ")")
          .followAndPrint(show -> await(client, id, out, show),
              (r, link) -> summary(out, r, id, link));
    }
  }

  /** The application backup the restore point took, or one line why there is none. */
  private static String pointRelease(Session s, io.lifeboat.config.RepositoryConfig repo,
      String app, String point) {
    var m = io.lifeboat.snapshot.RestorePoints.read(s.repository(repo), repo.prefix(), point)
        .orElseThrow(() -> new UserError("no restore point " + point + " in the repository"));
    String id = m.applicationBackups().get(app);
    if (id == null) {
      throw new UserError("restore point " + point + " holds no backup of application " + app
          + "; nothing was started");
    }
    return id;
  }

  static ServerTargetConfig pick(LifeboatConfig c, String name, Session s) {
    if (c.servers().isEmpty()) {
      throw new UserError(s.configPath() + " has no servers: section; add a recovery target"
          + " (see docs/operator/server-recovery.md)");
    }
    String names = c.servers().stream().map(ServerTargetConfig::name).collect(Collectors.joining(", "));
    if (name == null) {
      List<ServerTargetConfig> candidates = c.servers().stream()
          .filter(t -> !Boolean.TRUE.equals(t.production())).toList();
      if (candidates.size() == 1) return candidates.get(0);
      throw new UserError("name the target with --target (" + names + ")");
    }
    return c.server(name).orElseThrow(() -> new UserError("unknown target '" + name + "': "
        + s.configPath() + " lists " + names));
  }

  /** A repository that cannot rebuild the database is said now, before anything waits. */
  private static RecoveryPlan preview(Session s, DatabaseConfig db,
      io.lifeboat.config.RepositoryConfig repo) {
    try {
      return RecoveryPlanner.preview(new PlanRequest(db, repo, RecoveryTarget.latest()),
          s.repository(repo));
    } catch (ApplicationFailure f) {
      String hint = FailureKind.ofType(f.getType()).map(k -> " (" + k.hint() + ")").orElse("");
      String msg = "cannot recover the server: " + f.getOriginalMessage() + hint
          + "; nothing was started";
      if (f.getType().equals(FailureKind.BACKUP_NOT_FOUND.type())) throw new UserError(msg);
      throw new OperationFailed(msg);
    }
  }

  /** Prints each step as it starts and each human step once, with the command that approves it. */
  static ServerRecoveryResult await(WorkflowClient client, String workflowId, PrintWriter out,
      boolean show) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    String lastStep = "";
    Set<String> announced = new HashSet<>();
    ResultWatch<ServerRecoveryResult> result = new ResultWatch<>(stub, ServerRecoveryResult.class);
    while (true) {
      try {
        if (result.closedWithin(2, TimeUnit.SECONDS)) return result.value();
        if (!show) continue;
        try {
          ServerRecoveryProgress p = CompletableFuture.supplyAsync(
              () -> stub.query("progress", ServerRecoveryProgress.class)).get(3, TimeUnit.SECONDS);
          if (!p.currentStep().equals(lastStep)) {
            out.printf("  [%s of %s, %s] %s%s%n", Bytes.duration(p.elapsedMillis()),
                Bytes.duration(p.rtoMillis()), p.rtoStatus(), p.currentStep(),
                p.projection() == null ? "" : "; projected finish " + p.projection().describe());
            lastStep = p.currentStep();
          }
          for (WaitingStep w : p.waiting()) {
            if (announced.add(w.step())) {
              out.println("  waiting for a person: " + w.prompt());
              out.println("    lifeboat approve " + workflowId + " " + w.step() + " --by NAME"
                  + (w.valueRequired() ? " --value VALUE" : ""));
            }
          }
          out.flush();
        } catch (Exception ignored) {
          // no worker answers queries right now (restarting): ask again next tick
        }
      } catch (WorkflowFailedException e) {
        throw new OperationFailed(WorkflowWait.explain("server recovery", e));
      } catch (RuntimeException e) {
        WorkflowWait.pauseIfBusy(e);
      }
    }
  }

  private static void summary(PrintWriter out, ServerRecoveryResult r, String workflowId,
      String link) {
    out.println();
    out.println("recovered the server onto " + r.target() + " (" + r.address() + "): " + r.url()
        + ", RTO " + r.rtoStatus() + " (" + Bytes.duration(r.report().durationMillis()) + " of "
        + Bytes.duration(r.report().rtoTargetMillis()) + "; machines "
        + Bytes.duration(r.machineMillis()) + ", people " + Bytes.duration(r.humanWaitMillis()) + ")");
    for (var f : r.report().facts().entrySet()) {
      out.printf("  %-20s %s%n", f.getKey(), f.getValue());
    }
    for (var t : r.steps()) {
      out.printf("    %-14s %8s%s%n", t.step(), Bytes.duration(t.durationMillis()),
          t.human() ? " (waiting for a person)" : "");
    }
    out.println("  report      lifeboat report " + workflowId
        + (r.reportKey() == null ? " (not stored: see the worker log)" : ""));
    out.println("  workflow    " + link);
  }
}
