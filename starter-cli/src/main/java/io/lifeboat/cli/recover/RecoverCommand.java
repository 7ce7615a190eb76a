package io.lifeboat.cli.recover;

import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.PreviousRun;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RepositoryChoice;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.recover.db.PlanRequest;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryPlanner;
import io.lifeboat.recover.db.RecoveryRequest;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.recover.db.RecoveryTarget;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "recover", description = "Recover from the repository.",
    subcommands = {RecoverCommand.Db.class, RecoverServerCommand.class, RecoverRedisCommand.class,
        RecoverOpenSearchCommand.class,
        RecoverMariaDbCommand.class})
public final class RecoverCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "db", description = {
      "Recover one database: the newest dump, or a base backup plus WAL to a point in time.",
      "The recovered copy is verified before it replaces the damaged one, which is kept."})
  static final class Db implements Callable<Integer> {
    @ParentCommand RecoverCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", description = "database name from the config")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @Option(names = "--to", paramLabel = "TIME",
          description = "point in time, e.g. 2026-11-21T09:14:00Z (no zone: UTC)")
      String time;

      @Option(names = "--lsn", paramLabel = "LSN", description = "WAL position, e.g. 0/3000060")
      String lsn;

      @Option(names = "--latest", description = "everything the repository holds")
      boolean latest;

      @Option(names = "--to-point", paramLabel = "POINT",
          description = "a restore point taken by `lifeboat snapshot POINT`")
      String point;
    }

    @Option(names = "--from", paramLabel = "REPOSITORY", defaultValue = "primary",
        description = "the repository to read from: primary (repository:, the default) or"
            + " offsite (offsite:, or the first of repositories:), or a name under repositories:")
    String from;

    @Mixin LaunchOptions launchOptions;

    @Override
    public Integer call() {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      RecoveryTarget t = target.point != null ? null : target(target);
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        DatabaseConfig db = s.database(name);
        RepositoryConfig repo;
        try {
          repo = RepositoryChoice.resolve(c, from);
        } catch (io.lifeboat.config.ConfigException e) {
          throw new UserError(e.getMessage());
        }
        if (t == null) t = point(s, repo, db.name(), target.point);
        // Refuse a bad target here, before a workflow exists and long before anything stops.
        RecoveryPlan plan = preview(s, db, repo, t);
        WorkflowClient client = s.temporal().client();
        WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
            DatabaseRecoveryWorkflow.workflowId(c.estate(), db.name()));
        String id = launch.workflowId();
        DatabaseRecoveryWorkflow wf = client.newWorkflowStub(DatabaseRecoveryWorkflow.class,
            launch.options(WorkflowOptions.newBuilder()
                .setTaskQueue(c.temporal().taskQueue())
                .setTypedSearchAttributes(SearchAttributes.newBuilder()
                    .set(LifeboatSearchAttributes.DATABASE, db.name())
                    .set(LifeboatSearchAttributes.KIND, LifeboatSearchAttributes.KIND_DB_RECOVERY)
                    .build())));
        // One id per database, whichever repository: two recoveries of the same database
        // would swap the same data directory, so a second one is refused, not run beside.
        RecoveryRequest request = DatabaseRecoveryWorkflow.request(c, db, t, from)
            .withPreviousSteps(PreviousRun.stepMillis(s,
                io.lifeboat.recover.db.DatabaseRecoveryWorkflowImpl.REPORT_KIND, id));
        String what = (plan.pitr() ? "base backup " + plan.backupId() + " + WAL to "
            : "dump " + plan.backupId() + ", ") + t.describe()
            + (RepositoryChoice.PRIMARY.equals(from) ? "" : ", read from the " + from);
        return launch
            // A run started before ids named the estate holds the same lock under its old id.
            .refuseIfRunningUnder(DatabaseRecoveryWorkflow.legacyIds(c.estate(), db.name()),
                running -> "a recovery of " + db.name() + " is already running (" + running
                    + "); nothing was started or stopped")
            .start(() -> WorkflowClient.start(wf::recover, request),
                "a recovery of " + db.name() + " is already running (" + id
                    + "); nothing was started or stopped: " + launch.link())
            .startedJson("method", plan.method())
            .startedJson("backupId", plan.backupId())
            .startedJson("repository", from)
            .startedLine("started recovery of " + db.name() + " from " + what + ": " + id
                + "\n  " + launch.link() + "\n  lifeboat report " + id + " (when it ends)")
            .followingLine("recovering " + db.name() + " from " + what + " (" + id + ")")
            .followAndPrint(show -> new RecoveryWatch(client, id, out, show).await(),
                (r, link) -> printSummary(out, r, id, link));
      }
    }

    private static RecoveryPlan preview(Session s, DatabaseConfig db, RepositoryConfig repo,
        RecoveryTarget t) {
      try {
        RecoveryPlan plan = RecoveryPlanner.preview(new PlanRequest(db, repo, t),
            s.repository(repo));
        requireKey(s, db, repo, plan);
        return plan;
      } catch (ApplicationFailure f) {
        String hint = FailureKind.ofType(f.getType()).map(k -> " (" + k.hint() + ")").orElse("");
        boolean badInput = f.getType().equals(FailureKind.RECOVERY_TARGET_INVALID.type())
            || f.getType().equals(FailureKind.BACKUP_NOT_FOUND.type());
        String msg = "cannot recover " + db.name() + ": " + f.getOriginalMessage() + hint
            + "; nothing was stopped";
        if (badInput) throw new UserError(msg);
        throw new OperationFailed(msg);
      }
    }

    /**
     * A backup written with another repository key is refused here, before a workflow starts.
     * When this process cannot read the configured key file (the CLI on another machine), the
     * worker's plan step makes the same check.
     */
    private static void requireKey(Session s, DatabaseConfig db, RepositoryConfig repo,
        RecoveryPlan plan) {
      io.lifeboat.storage.crypt.RepositoryCipher cipher;
      try {
        cipher = s.cipher(repo);
      } catch (io.lifeboat.storage.StorageException notHere) {
        return;
      }
      try {
        cipher.requireReadable(s.repository(repo), plan.objectKey(),
            (plan.pitr() ? "base backup " : "backup ") + plan.backupId() + " of " + db.name());
      } catch (io.lifeboat.storage.StorageException e) {
        throw e.kind().failure(e.getMessage());
      }
    }

    /**
     * The point's LSN in this database, from its manifest: an unknown point, or one that
     * skipped this database, is one line.
     */
    static RecoveryTarget point(Session s, RepositoryConfig repo, String db, String point) {
      if (!io.lifeboat.snapshot.RestorePointWorkflow.validName(point)) {
        throw new UserError("--to-point '" + point + "' is not a restore point name");
      }
      var m = io.lifeboat.snapshot.RestorePoints.read(s.repository(repo), repo.prefix(), point)
          .orElseThrow(() -> new UserError("no restore point " + point + " in the repository"
              + " (take one with `lifeboat snapshot " + point + "`); nothing was stopped"));
      var d = m.database(db).orElseThrow(() -> new UserError("restore point " + point
          + " does not cover " + db + "; nothing was stopped"));
      if (d.lsn() == null) {
        throw new UserError("restore point " + point + " skipped " + db + " (" + d.skipped()
            + "); nothing was stopped");
      }
      return RecoveryTarget.point(point, d.lsn());
    }

    static RecoveryTarget target(Target t) {
      if (t.latest) return RecoveryTarget.latest();
      if (t.lsn != null) {
        if (!t.lsn.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
          throw new UserError("--lsn '" + t.lsn + "' is not an LSN (like 0/3000060)");
        }
        return RecoveryTarget.lsn(t.lsn.toUpperCase());
      }
      return RecoveryTarget.time(parseTime(t.time).toString());
    }

    /** ISO instants and offsets; a time without a zone is UTC, as the server logs it. */
    static Instant parseTime(String text) {
      String s = text.strip();
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
      String iso = s.replace(' ', 'T');
      try {
        return OffsetDateTime.parse(iso).toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
      try {
        return OffsetDateTime.parse(iso, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS][.SSS]x"))
            .toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
      try {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new UserError("--to '" + text + "' is not a time; use e.g. 2026-11-21T09:14:00Z"
            + " or '2026-11-21 09:14:00+01:00'");
      }
    }

    private static void printSummary(PrintWriter out, RecoveryResult r, String workflowId,
        String link) {
      out.println();
      out.println("recovered " + r.report().subject() + ": " + r.report().facts().get("Method")
          + ", RTO " + r.rtoStatus() + " (" + Bytes.duration(r.report().durationMillis())
          + " of " + Bytes.duration(r.report().rtoTargetMillis()) + ")");
      for (var f : r.report().facts().entrySet()) {
        out.printf("  %-22s %s%n", f.getKey(), f.getValue());
      }
      for (var t : r.steps()) {
        out.printf("    %-18s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
      }
      out.println("  report      lifeboat report " + workflowId
          + (r.reportKey() == null ? " (not stored: see the worker log)" : ""));
      out.println("  workflow    " + link);
    }
  }
}
