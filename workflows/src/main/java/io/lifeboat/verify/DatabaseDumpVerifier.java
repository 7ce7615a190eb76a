package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/** Verifies the newest full dump of a database (workflow code). */
final class DatabaseDumpVerifier implements SourceVerifier {
  private static final Logger log = Workflow.getLogger(DatabaseDumpVerifier.class);
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
  /** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1). */
  static final int MAX_IDENTIFIER = 63;
  public static final String SCRATCH_PREFIX = "lifeboat_verify_";

  private final StepRecorder steps;
  /** This run's key (RunKeys), decided once, when the first scratch database is named. */
  private String runKey;

  DatabaseDumpVerifier(StepRecorder steps) {
    this.steps = steps;
  }

  @Override
  public String kind() {
    return LifeboatSearchAttributes.KIND_DB_FULL;
  }

  @Override
  public List<String> sources(VerificationRequest request) {
    return request.databases().stream().map(DatabaseConfig::name).toList();
  }

  @Override
  public VerificationResult verify(VerificationRequest request, String source) {
    DatabaseConfig db = request.databases().stream().filter(d -> d.name().equals(source))
        .findFirst().orElseThrow();
    long started = Workflow.currentTimeMillis();
    DatabaseVerificationActivities quick = stub(request.retry(), Duration.ofMinutes(5), null);
    // Integrity and restore take the bulk queue's slots (issue 21; versioned inside).
    DatabaseVerificationActivities slow = ActivityStubs.of(DatabaseVerificationActivities.class,
        request.retry(), Duration.ofHours(6), HEARTBEAT_TIMEOUT,
        io.lifeboat.run.BulkQueue.forThisRun());
    List<CheckOutcome> checks = new ArrayList<>();
    BackupManifest manifest = null;
    String failureType = null;
    String message;
    try {
      manifest = steps.run(source + ": find newest",
          () -> quick.findNewest(request.repository(), db)).manifest();
      if (manifest == null) {
        failureType = FailureKind.BACKUP_NOT_FOUND.type();
        message = "no committed backup of " + source + " in the repository";
        checks.add(new CheckOutcome("newest backup", false, message));
        return finish(request, source, null, started, checks, failureType, message);
      }
      BackupManifest m = manifest;
      checks.add(new CheckOutcome("newest backup", true, m.backupId() + " (" + m.startedAt() + ")"));
      IntegrityResult integrity = steps.run(source + ": integrity",
          () -> slow.checkIntegrity(new DumpTarget(request.repository(), m)));
      checks.add(new CheckOutcome("sha256", true, integrity.sha256() + ", " + integrity.bytes()
          + " bytes as in the manifest"));
      checks.add(new CheckOutcome("pg_restore --list", true, integrity.tocEntries() + " entries"));
      if (request.restore()) {
        if (runKey == null) runKey = RunKeys.forThisRun();
        String scratch = scratchName(source, runKey);
        if (request.databases().stream().anyMatch(d -> d.name().equals(scratch))) {
          throw ApplicationFailure.newNonRetryableFailure("scratch database " + scratch
              + " would be the configured database of that name", FailureKind.SCRATCH_NAME_TAKEN.type());
        }
        RestoreCheckResult restored;
        try {
          restored = steps.run(source + ": restore and validate", () -> slow.restoreAndValidate(
              new RestoreCheckRequest(db, request.repository(), m, scratch)));
        } finally {
          // Always dropped, also when the restore failed or the run is being cancelled.
          Workflow.newDetachedCancellationScope(() -> dropQuietly(quick, db, scratch)).run();
        }
        checks.add(new CheckOutcome("restore", true, restored.tables()
            + " tables restored into " + scratch + " (dropped afterwards)"));
        for (RestoreCheckResult.QueryResult q : restored.queries()) {
          checks.add(new CheckOutcome("validation: " + q.name(), q.passed(), q.value()
              + (q.minimum() == null ? "" : " (minimum " + q.minimum() + ")")));
          if (!q.passed() && failureType == null) {
            failureType = FailureKind.VALIDATION_FAILED.type();
          }
        }
      }
      message = failureType == null ? "backup " + m.backupId() + " of " + source + " verified"
          : "backup " + m.backupId() + " of " + source + " restored but failed validation: "
              + String.join(", ", checks.stream().filter(c -> !c.passed())
                  .map(c -> c.name() + " = " + c.detail()).toList());
    } catch (ActivityFailure | ApplicationFailure e) {
      if (e.getCause() instanceof io.temporal.failure.CanceledFailure) {
        throw e; // the run is being cancelled: not a verdict on the backup
      }
      ApplicationFailure app = e instanceof ApplicationFailure a ? a
          : e.getCause() instanceof ApplicationFailure a2 ? a2 : null;
      // Not one of ours (an activity timeout, say): name the Temporal failure instead.
      failureType = app != null ? app.getType()
          : e.getCause() != null ? e.getCause().getClass().getSimpleName() : "ActivityFailure";
      message = app != null ? app.getOriginalMessage()
          : e.getCause() instanceof TemporalFailure tf ? tf.getOriginalMessage() : e.getMessage();
      checks.add(new CheckOutcome(failedCheckName(checks), false, message));
    }
    return finish(request, source, manifest, started, checks, failureType, message);
  }

  /** The check that was running when an activity failed, named after the last one passed. */
  private static String failedCheckName(List<CheckOutcome> done) {
    if (done.isEmpty()) return "newest backup";
    String last = done.get(done.size() - 1).name();
    return switch (last) {
      case "newest backup" -> "integrity";
      case "pg_restore --list" -> "restore";
      default -> "verification";
    };
  }

  private VerificationResult finish(VerificationRequest request, String source,
      BackupManifest manifest, long started, List<CheckOutcome> checks, String failureType,
      String message) {
    boolean passed = failureType == null;
    String recordKey = null;
    long now = Workflow.currentTimeMillis();
    if (manifest != null) {
      VerificationRecord record = new VerificationRecord(VerificationRecord.FORMAT_VERSION,
          kind(), source, manifest.backupId(), Instant.ofEpochMilli(now).toString(), passed,
          failureType, message, checks, Workflow.getInfo().getWorkflowId());
      try {
        DatabaseVerificationActivities quick = stub(request.retry(), Duration.ofMinutes(5), null);
        recordKey = steps.run(source + ": record",
            () -> quick.recordVerification(new RecordRequest(request.repository(), record, now)));
      } catch (ActivityFailure e) {
        // The result still reaches the metrics, the report and the notification.
        log.warn("could not store the verification record of {} {}: {}", source,
            manifest.backupId(), e.getMessage());
      }
    }
    return new VerificationResult(kind(), source, manifest == null ? null : manifest.backupId(),
        passed, failureType, message, checks, recordKey, started, Workflow.currentTimeMillis());
  }

  private static void dropQuietly(DatabaseVerificationActivities quick, DatabaseConfig db,
      String scratch) {
    try {
      quick.dropScratch(new ScratchDatabase(db, scratch));
    } catch (ActivityFailure e) {
      log.error("scratch database {} on {} could not be dropped: {}; drop it by hand", scratch,
          db.address(), e.getMessage());
    }
  }

  /**
   * {@code lifeboat_verify_<db>_<run key>}: unique per run (the key is the random end of the run
   * id, {@link RunKeys}: two verifications of one database started in the same minute, the
   * schedule's and a manual one, must not share a scratch database), stable across retries and
   * replays, lowercase letters, digits and underscores only, at most 63 characters.
   */
  public static String scratchName(String database, String runKey) {
    String suffix = "_" + runKey.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    String db = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    int room = MAX_IDENTIFIER - SCRATCH_PREFIX.length() - suffix.length();
    if (db.length() > room) db = db.substring(0, room);
    return SCRATCH_PREFIX + db + suffix;
  }

  private static DatabaseVerificationActivities stub(RetryConfig retry, Duration startToClose,
      Duration heartbeat) {
    return ActivityStubs.of(DatabaseVerificationActivities.class, retry, startToClose, heartbeat);
  }
}
