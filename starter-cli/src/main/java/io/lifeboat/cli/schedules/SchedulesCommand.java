package io.lifeboat.cli.schedules;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lifeboat.backup.dump.DatabaseBackupRequest;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.check.RepositoryCheckWorkflow;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.backup.BackupPlans;
import io.lifeboat.cli.wal.WalSchedules;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.verify.BackupVerificationWorkflow;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleUpdate;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "schedules", description = "Temporal Schedules that fire the backups.",
    subcommands = {SchedulesCommand.Apply.class, SchedulesCommand.ListSchedules.class})
public final class SchedulesCommand {
  @ParentCommand LifeboatCli root;

  /** The schedule that config asks for; creating or updating it to this is idempotent. */
  static Schedule desired(LifeboatConfig c, DatabaseConfig db, String taskQueue) {
    var options = BackupPlans.options(c, db, BackupPlans.workflowIdBase(c, db));
    if (taskQueue != null) options.setTaskQueue(taskQueue);
    return AppSchedules.schedule(c, db.backupSchedule(), ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(DatabaseBackupWorkflow.class)
        .setArguments(DatabaseBackupWorkflow.request(c, db))
        .setOptions(options.build())
        .build());
  }

  /** The daily verification and the hourly check (issue #7), as the config asks for them. */
  static java.util.Map<String, Schedule> monitoring(LifeboatConfig c, String taskQueue) {
    var verifyOptions = MonitoringPlans.options(c, MonitoringPlans.verifyId(c),
        io.lifeboat.run.LifeboatSearchAttributes.KIND_VERIFY);
    var checkOptions = MonitoringPlans.options(c, MonitoringPlans.checkId(c),
        io.lifeboat.run.LifeboatSearchAttributes.KIND_CHECK);
    if (taskQueue != null) {
      verifyOptions.setTaskQueue(taskQueue);
      checkOptions.setTaskQueue(taskQueue);
    }
    var map = new java.util.LinkedHashMap<String, Schedule>();
    map.put(MonitoringPlans.verifyId(c), AppSchedules.schedule(c, c.verification().schedule(),
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(BackupVerificationWorkflow.class)
            .setArguments(BackupVerificationWorkflow.request(c, c.databases(),
                c.verification().restore()))
            .setOptions(verifyOptions.build()).build()));
    map.put(MonitoringPlans.checkId(c), AppSchedules.schedule(c, c.checks().schedule(),
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(RepositoryCheckWorkflow.class)
            .setArguments(RepositoryCheckWorkflow.request(c))
            .setOptions(checkOptions.build()).build()));
    // Recovery readiness (issue 18): every readiness.everyMinutes (default 30).
    String readinessId = io.lifeboat.readiness.ReadinessWorkflow.workflowId(c.estate());
    var readinessOptions = io.lifeboat.cli.readiness.ReadinessCommand.options(c, readinessId);
    if (taskQueue != null) readinessOptions.setTaskQueue(taskQueue);
    map.put(readinessId, AppSchedules.schedule(c, readinessCron(c),
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(io.lifeboat.readiness.ReadinessWorkflow.class)
            .setArguments(io.lifeboat.readiness.ReadinessWorkflow.request(c))
            .setOptions(readinessOptions.build()).build()));
    // Scheduled restore points (issue 22): only when restorePoints.schedule is set.
    if (c.restorePoints().schedule() != null) {
      String pointsId = io.lifeboat.snapshot.RestorePointWorkflow.workflowId(c.estate(),
          "scheduled");
      var pointsOptions = io.temporal.client.WorkflowOptions.newBuilder()
          .setWorkflowId(pointsId)
          .setTaskQueue(taskQueue != null ? taskQueue : c.temporal().taskQueue());
      map.put(pointsId, AppSchedules.schedule(c, c.restorePoints().schedule(),
          ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(io.lifeboat.snapshot.RestorePointWorkflow.class)
              .setArguments(io.lifeboat.snapshot.RestorePointWorkflow.request(c, null))
              .setOptions(pointsOptions.build()).build()));
    }
    return map;
  }

  static String cronOf(LifeboatConfig c, String id) {
    if (id.equals(io.lifeboat.snapshot.RestorePointWorkflow.workflowId(c.estate(), "scheduled"))) {
      return c.restorePoints().schedule();
    }
    if (id.equals(io.lifeboat.readiness.ReadinessWorkflow.workflowId(c.estate()))) {
      return readinessCron(c);
    }
    return id.equals(MonitoringPlans.verifyId(c)) ? c.verification().schedule()
        : c.checks().schedule();
  }

  /** readiness.everyMinutes as cron (every N minutes; whole hours past 59). */
  static String readinessCron(LifeboatConfig c) {
    return io.lifeboat.cli.wal.WalSchedules.everyMinutesCron(c.readiness().everyMinutes());
  }

  /**
   * Whether a schedule found under an older id is this estate's: Lifeboat's (its note), starting
   * {@code type} with a request that {@code sameSubject} accepts, in this estate's repository.
   * Anything else (another estate sharing the namespace, a schedule this config's codec cannot
   * read) is not provably ours.
   */
  public static <R> Predicate<Schedule> ours(LifeboatConfig c, Class<?> type,
      Class<R> requestType, Function<R, RepositoryConfig> repository, Predicate<R> sameSubject) {
    return s -> {
      try {
        if (!(s.getAction() instanceof ScheduleActionStartWorkflow start)
            || !MANAGED.equals(s.getState().getNote())
            || !start.getWorkflowType().equals(type.getSimpleName())) {
          return false;
        }
        R req = start.getArguments().get(0, requestType);
        RepositoryConfig r = repository.apply(req);
        return sameSubject.test(req) && r.bucket().equals(c.repository().bucket())
            && Objects.equals(r.prefix(), c.repository().prefix())
            && Objects.equals(r.endpoint(), c.repository().endpoint());
      } catch (RuntimeException undecodable) {
        return false;
      }
    };
  }

  /** The note every schedule Lifeboat manages carries. */
  public static final String MANAGED = "managed by lifeboat schedules apply";

  /**
   * A schedule under an older spelling of {@code current}'s id (before every id named the
   * estate, or before the estate was reduced to id characters) would go on starting a second
   * run beside the renamed one. It is deleted only when it is provably this estate's; another
   * estate sharing the namespace keeps its own until its own `schedules apply`.
   */
  public static void retire(ScheduleClient schedules, List<String> legacyIds, String current,
      Predicate<Schedule> ours, PrintWriter out) {
    for (String legacy : legacyIds) {
      var found = describe(schedules, legacy);
      if (found.isEmpty()) continue;
      if (ours.test(found.get().getSchedule())) {
        schedules.getHandle(legacy).delete();
        out.printf("deleted schedule %s: renamed to %s%n", legacy, current);
      } else {
        out.printf("left schedule %s: not this estate's (delete it with"
            + " `temporal schedule delete --schedule-id %s` if it is)%n", legacy, legacy);
      }
    }
  }

  /** Creates the schedule, or updates it to {@code want}: "created" or "updated". */
  static String createOrUpdate(ScheduleClient schedules, String id, Schedule want) {
    if (describe(schedules, id).isPresent()) {
      schedules.getHandle(id).update(input -> new ScheduleUpdate(want));
      return "updated";
    }
    schedules.createSchedule(id, want, ScheduleOptions.newBuilder().build());
    return "created";
  }

  /**
   * The schedule's description, empty when it does not exist. Only the server's "not found"
   * means missing: any other failure (Temporal unreachable) propagates to its exit code,
   * instead of listing every schedule as "not created".
   */
  static Optional<ScheduleDescription> describe(ScheduleClient schedules, String id) {
    try {
      return Optional.of(schedules.getHandle(id).describe());
    } catch (ScheduleException e) {
      if (e.getCause() instanceof StatusRuntimeException grpc
          && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** One row of `schedules list`: its fields, then its state or "missing". */
  static Map<String, Object> row(ScheduleClient schedules, String id, Map<String, Object> fields) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.putAll(fields);
    describe(schedules, id).ifPresentOrElse(d -> {
      row.put("paused", d.getSchedule().getState().isPaused());
      row.put("next", d.getInfo().getNextActionTimes().stream().limit(3).map(Instant::toString)
          .toList());
      row.put("recentRuns", d.getInfo().getRecentActions().size());
    }, () -> row.put("missing", true));
    return row;
  }

  @Command(name = "apply", description = {
      "Create or update the schedules the config asks for (idempotent): each database's, each",
      "application's, the configuration's, each MariaDB, Redis, OpenSearch and files source's,",
      "the checks' and the drills'; start the binlog archiver of each binlogArchive: true source."})
  static final class Apply implements Callable<Integer> {
    @ParentCommand SchedulesCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--task-queue", hidden = true)
    String taskQueue;

    @Option(names = "--database", paramLabel = "NAME", description = "only this database")
    String database;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        ScheduleClient schedules = s.temporal().schedules();
        List<DatabaseConfig> dbs = database == null ? c.databases() : List.of(s.database(database));
        for (DatabaseConfig db : dbs) {
          String id = BackupPlans.workflowIdBase(c, db);
          String what = createOrUpdate(schedules, id, desired(c, db, taskQueue));
          out.printf("%s schedule %s: '%s' %s, overlap skip, catch-up %d min%n", what, id,
              db.backupSchedule(), c.schedules().timezone(), c.schedules().catchupWindowMinutes());
          retire(schedules, DatabaseBackupWorkflow.legacyIds(c.estate(), db.name()), id,
              ours(c, DatabaseBackupWorkflow.class, DatabaseBackupRequest.class,
                  DatabaseBackupRequest::repository, r -> r.database().name().equals(db.name())),
              out);
          for (WalSchedules.Plan plan : WalSchedules.plans(c, db, taskQueue)) {
            what = createOrUpdate(schedules, plan.id(), plan.schedule());
            out.printf("%s schedule %s: '%s' %s%n", what, plan.id(), plan.cron(),
                c.schedules().timezone());
            retire(schedules, plan.legacyIds(), plan.id(), plan.ours(), out);
          }
        }
        if (database == null) {
          for (var e : monitoring(c, taskQueue).entrySet()) {
            String what = createOrUpdate(schedules, e.getKey(), e.getValue());
            out.printf("%s schedule %s: '%s' %s, overlap skip, catch-up %d min%n", what,
                e.getKey(), cronOf(c, e.getKey()), c.schedules().timezone(),
                c.schedules().catchupWindowMinutes());
          }
        }
        if (database == null) {
          AppSchedules.apply(schedules, c, taskQueue, out);
          SourceSchedules.startArchivers(s.temporal().client(), c, out);
        }
        return 0;
      }
    }
  }

  @Command(name = "list", description = "Schedules and their next run times.")
  static final class ListSchedules implements Callable<Integer> {
    @ParentCommand SchedulesCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        ScheduleClient schedules = s.temporal().schedules();
        var rows = new java.util.ArrayList<Map<String, Object>>();
        for (DatabaseConfig db : c.databases()) {
          for (WalSchedules.Plan plan : WalSchedules.plans(c, db, null)) {
            rows.add(row(schedules, plan.id(), Map.of("database", db.name(), "cron", plan.cron())));
          }
          rows.add(row(schedules, BackupPlans.workflowIdBase(c, db),
              Map.of("database", db.name(), "cron", db.backupSchedule())));
        }
        for (String id : List.of(MonitoringPlans.verifyId(c), MonitoringPlans.checkId(c),
            io.lifeboat.readiness.ReadinessWorkflow.workflowId(c.estate()))) {
          rows.add(row(schedules, id, Map.of("cron", cronOf(c, id))));
        }
        if (c.restorePoints().schedule() != null) {
          String id = io.lifeboat.snapshot.RestorePointWorkflow.workflowId(c.estate(), "scheduled");
          rows.add(row(schedules, id, Map.of("cron", cronOf(c, id))));
        }
        rows.addAll(AppSchedules.rows(schedules, c));
        rows.addAll(SourceSchedules.archiverRows(s.temporal().client(), c));
        if (json) {
          out.println(Json.write(rows));
          return 0;
        }
        for (var r : rows) {
          if (r.containsKey("running")) {
            out.printf("%-32s every %-6s %s%n", r.get("id"), r.get("every"),
                Boolean.TRUE.equals(r.get("running")) ? "running (continuous binlog archiving)"
                    : "not running; run: lifeboat schedules apply");
          } else if (r.containsKey("missing")) {
            out.printf("%-32s not created; run: lifeboat schedules apply%n", r.get("id"));
          } else {
            out.printf("%-32s %-12s %s next: %s%n", r.get("id"), r.get("cron"),
                Boolean.TRUE.equals(r.get("paused")) ? "PAUSED" : "active",
                String.join(", ", (List<String>) r.get("next")));
          }
        }
        return 0;
      }
    }
  }
}
