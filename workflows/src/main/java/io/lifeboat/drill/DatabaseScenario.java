package io.lifeboat.drill;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.verify.DatabaseVerificationActivities;
import io.lifeboat.verify.IntegrityResult;
import io.lifeboat.verify.RestoreCheckRequest;
import io.lifeboat.verify.RestoreCheckResult;
import io.lifeboat.verify.ScratchDatabase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's monthly database recovery test, on the repository's real backups: the newest dump
 * of each database, checked against its manifest, restored into a scratch database on the same
 * server, validated with the config's queries, then dropped (by the compensation). Reuses the
 * verification activities, so a drill and the daily verification restore the same way.
 */
final class DatabaseScenario {
  private DatabaseScenario() {}

  static ScenarioResult run(DrillRequest r, StepRecorder steps, String scratchKey,
      Compensation comp) {
    DatabaseVerificationActivities quick =
        Stubs.of(DatabaseVerificationActivities.class, r.retry(), Duration.ofMinutes(5), false);
    DatabaseVerificationActivities slow =
        Stubs.of(DatabaseVerificationActivities.class, r.retry(), Duration.ofHours(6), true);
    long rto = r.targets().databaseRtoMinutes() * 60_000L;
    int first = steps.steps().size();
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> evidence = new ArrayList<>();
    boolean integrity = true;
    try {
      if (r.databases().isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("no databases in the config",
            FailureKind.CONFIG_INVALID.type());
      }
      for (DatabaseConfig db : r.databases()) {
        String n = db.name();
        BackupManifest m = steps.run("database " + n + ": newest backup",
            () -> quick.findNewest(r.repository(), db)).manifest();
        if (m == null) {
          throw ApplicationFailure.newNonRetryableFailure("no committed backup of " + n
              + " in the repository", FailureKind.BACKUP_NOT_FOUND.type());
        }
        facts.put(n + ": backup", m.backupId() + " (" + m.startedAt() + ")");
        IntegrityResult in = steps.run("database " + n + ": checksum",
            () -> slow.checkIntegrity(new io.lifeboat.verify.DumpTarget(r.repository(), m)));
        facts.put(n + ": sha256", in.sha256() + " (" + in.bytes() + " bytes, as in the manifest)");
        evidence.add(n + ": sha256 and size match the manifest, pg_restore lists "
            + in.tocEntries() + " entries");
        String scratch = DrillTargets.scratchDatabase(r.drills(), db, r.databases(), scratchKey);
        comp.add("drop scratch database " + scratch, () -> {
          quick.dropScratch(new ScratchDatabase(db, scratch));
          return "dropped";
        });
        RestoreCheckResult res = steps.run("database " + n + ": restore into scratch",
            () -> slow.restoreAndValidate(new RestoreCheckRequest(db, r.repository(), m, scratch)));
        facts.put(n + ": restored", res.tables() + " tables into " + scratch + " on " + db.host()
            + ":" + db.port());
        if (res.tables() <= 0) {
          integrity = false;
          evidence.add(n + ": the restored copy has no tables");
        }
        for (RestoreCheckResult.QueryResult q : res.queries()) {
          facts.put(n + ": " + q.name(), q.value() + (q.passed() ? "" : " (FAILED, minimum "
              + q.minimum() + ")"));
          if (!q.passed()) integrity = false;
          evidence.add(n + ": " + q.name() + " = " + q.value() + (q.passed() ? " ok" : " FAILED"));
        }
      }
      return new ScenarioResult(DrillScenarios.DATABASE, ScenarioResult.OK,
          "restored " + r.databases().size() + " database(s) into scratch", machine(steps, first),
          rto, integrity, evidence, facts);
    } catch (ActivityFailure | ApplicationFailure e) {
      if (e.getCause() instanceof CanceledFailure) throw e;
      return new ScenarioResult(DrillScenarios.DATABASE, ScenarioResult.FAILED,
          FailureMessage.of(e), machine(steps, first), rto, false, evidence, facts);
    }
  }

  /** Machine time of the steps recorded since {@code first}. */
  static long machine(StepRecorder steps, int first) {
    var all = steps.steps();
    long sum = 0;
    for (int i = first; i < all.size(); i++) sum += all.get(i).machineMillis();
    return sum;
  }
}
