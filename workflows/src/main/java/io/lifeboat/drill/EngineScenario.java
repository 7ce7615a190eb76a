package io.lifeboat.drill;

import io.lifeboat.backup.mariadb.MariaDbBackupActivities;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbPhysicalActivities;
import io.lifeboat.backup.mariadb.MariaDbTable;
import io.lifeboat.backup.mariadb.MariaDbVerifyRequest;
import io.lifeboat.backup.mariadb.MariaDbVerifyResult;
import io.lifeboat.backup.opensearch.OpenSearchBackupActivities;
import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.backup.opensearch.OpenSearchVerifyRequest;
import io.lifeboat.backup.opensearch.OpenSearchVerifyResult;
import io.lifeboat.backup.redis.RedisBackupActivities;
import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.backup.redis.RedisVerifyRequest;
import io.lifeboat.backup.redis.RedisVerifyResult;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.host.HostRouting;
import io.lifeboat.recover.mariadb.MariaDbRecoveryActivities;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryActivities;
import io.lifeboat.recover.redis.RedisRecoveryActivities;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drill scenarios of the engines beyond PostgreSQL (issue 19): for each configured source
 * of the kind, the newest committed backup (the recovery's own choose-backup activity) is
 * restored into a scratch target and compared by the kind's verification activity, the one
 * every backup runs before its manifest is written: MariaDB into a scratch mariadbd on a free
 * port (CHECKSUM TABLE per table against the manifest), Redis into a scratch redis-server on a
 * free port (redis-check-rdb, key count, sampled keys), OpenSearch into scratch indices
 * {@code lifeboat-verify-RUN-INDEX} on the node (document count per index against the
 * manifest). The activity removes its scratch target itself, also when the comparison fails;
 * the drill's clean-up records that. Production is read, never written.
 */
final class EngineScenario {
  /** Workflow.getVersion id around the commands of these scenarios (none in older drills). */
  static final String CHANGE = "drill-engine-scenarios";

  private EngineScenario() {}

  static ScenarioResult run(String kind, DrillRequest r, StepRecorder steps, String scratchKey,
      Compensation comp) {
    Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
    long rto = DrillScenarios.rtoMillis(r, kind);
    int first = steps.steps().size();
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> evidence = new ArrayList<>();
    boolean[] integrity = {true};
    try {
      List<String> names = DrillScenarios.sources(r, kind);
      if (names.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("no " + kind + " sources in the config",
            FailureKind.CONFIG_INVALID.type());
      }
      switch (kind) {
        case DrillScenarios.MARIADB -> {
          for (MariaDbConfig m : r.mariadb()) mariadb(r, steps, m, facts, evidence, integrity);
        }
        case DrillScenarios.REDIS -> {
          for (RedisConfig x : r.redis()) redis(r, steps, x, facts, evidence, integrity);
        }
        default -> {
          for (OpenSearchConfig o : r.opensearch()) {
            opensearch(r, steps, scratchKey, o, facts, evidence, integrity);
          }
        }
      }
      comp.add(kind + ": scratch targets", () -> "removed by each restore step itself (" + kind
          + " " + String.join(", ", names) + ")");
      return new ScenarioResult(kind, ScenarioResult.OK, "restored " + names.size() + " "
          + kind + " source(s) into scratch and compared", DatabaseScenario.machine(steps, first),
          rto, integrity[0], evidence, facts);
    } catch (ActivityFailure | ApplicationFailure e) {
      if (e.getCause() instanceof CanceledFailure) throw e;
      return new ScenarioResult(kind, ScenarioResult.FAILED, FailureMessage.of(e),
          DatabaseScenario.machine(steps, first), rto, false, evidence, facts);
    }
  }

  private static void mariadb(DrillRequest r, StepRecorder steps, MariaDbConfig c,
      Map<String, String> facts, List<String> evidence, boolean[] integrity) {
    String n = c.name();
    MariaDbRecoveryActivities choose = ActivityStubs.of(MariaDbRecoveryActivities.class,
        r.retry(), Duration.ofMinutes(10), null);
    MariaDbManifest m = steps.run("mariadb " + n + ": newest backup",
        () -> choose.mariadbChooseBackup(r.repository(), n, null));
    facts.put(n + ": backup", m.backupId() + " (" + m.kind() + ", " + m.startedAt() + ")");
    Map<String, Long> sums = new TreeMap<>();
    for (MariaDbTable t : m.tables()) sums.put(t.name(), t.checksum());
    MariaDbVerifyRequest check = new MariaDbVerifyRequest(r.repository(), m.objectKey(),
        m.sha256(), m.storedBytes(), m.databases(), sums, sums);
    MariaDbVerifyResult v;
    if (MariaDbManifest.KIND_PHYSICAL.equals(m.kind())) {
      MariaDbPhysicalActivities onHost = ActivityStubs.of(MariaDbPhysicalActivities.class,
          r.retry(), Duration.ofHours(6), Duration.ofSeconds(60),
          HostRouting.queueFor(c.host()));
      v = steps.run("mariadb " + n + ": restore into a scratch mariadbd",
          () -> onHost.mariadbVerifyStoredPhysical(check));
    } else {
      MariaDbBackupActivities any = ActivityStubs.of(MariaDbBackupActivities.class, r.retry(),
          Duration.ofHours(6), Duration.ofSeconds(60));
      v = steps.run("mariadb " + n + ": restore into a scratch mariadbd",
          () -> any.mariadbVerifyStoredDump(check));
    }
    facts.put(n + ": restored", v.tables().size() + " tables into a scratch mariadbd ("
        + v.scratchServer() + "), " + v.compared() + " with CHECKSUM TABLE equal to the"
        + " manifest's");
    boolean ok = !v.tables().isEmpty() && v.compared() == m.tables().size();
    if (!ok) integrity[0] = false;
    evidence.add(n + ": sha256 and size match the manifest; " + v.compared() + " of "
        + m.tables().size() + " tables with the manifest's CHECKSUM TABLE" + (ok ? "" : " FAILED"));
  }

  private static void redis(DrillRequest r, StepRecorder steps, RedisConfig c,
      Map<String, String> facts, List<String> evidence, boolean[] integrity) {
    String n = c.name();
    RedisRecoveryActivities choose = ActivityStubs.of(RedisRecoveryActivities.class, r.retry(),
        Duration.ofMinutes(10), null);
    RedisManifest m = steps.run("redis " + n + ": newest backup",
        () -> choose.redisChooseBackup(r.repository(), n, null));
    facts.put(n + ": backup", m.backupId() + " (" + m.startedAt() + ")");
    RedisBackupActivities any = ActivityStubs.of(RedisBackupActivities.class, r.retry(),
        Duration.ofHours(6), Duration.ofSeconds(60));
    RedisVerifyResult v = steps.run("redis " + n + ": load into a scratch redis-server",
        () -> any.redisVerifyStoredSnapshot(new RedisVerifyRequest(r.repository(),
            m.objectKey(), m.sha256(), m.storedBytes(), m.keys(), m.keys())));
    facts.put(n + ": restored", v.keys() + " keys in a scratch redis-server (" + v.sampledKeys()
        + " sampled keys read), redis-check-rdb: " + v.checkRdb());
    boolean ok = v.keys() == m.keys();
    if (!ok) integrity[0] = false;
    evidence.add(n + ": sha256 and size match the manifest; " + v.keys() + " keys, the manifest "
        + m.keys() + (ok ? "" : " FAILED"));
  }

  private static void opensearch(DrillRequest r, StepRecorder steps, String scratchKey,
      OpenSearchConfig c, Map<String, String> facts, List<String> evidence,
      boolean[] integrity) {
    String n = c.name();
    OpenSearchRecoveryActivities choose = ActivityStubs.of(OpenSearchRecoveryActivities.class,
        r.retry(), Duration.ofMinutes(10), null);
    OpenSearchManifest m = steps.run("opensearch " + n + ": newest backup",
        () -> choose.opensearchChooseBackup(r.repository(), n, null));
    facts.put(n + ": backup", m.backupId() + " (" + m.startedAt() + ")");
    OpenSearchBackupActivities onHost = ActivityStubs.of(OpenSearchBackupActivities.class,
        r.retry(), Duration.ofHours(12), Duration.ofSeconds(60), HostRouting.queueFor(c.host()));
    String runKey = "drill-" + scratchKey.replaceAll("[^A-Za-z0-9]", "")
        .toLowerCase(java.util.Locale.ROOT);
    OpenSearchVerifyResult v = steps.run("opensearch " + n + ": restore into scratch indices",
        () -> onHost.opensearchVerifyStored(new OpenSearchVerifyRequest(c, r.repository(),
            m.fileListKey(), m.snapshot(), m.documents(), m.documents(), runKey)));
    facts.put(n + ": restored", new TreeMap<>(v.documents()) + " documents in scratch indices"
        + " lifeboat-verify-" + runKey + "-*");
    boolean ok = new TreeMap<>(v.documents()).equals(new TreeMap<>(m.documents()));
    if (!ok) integrity[0] = false;
    evidence.add(n + ": every stored file's sha256 as listed; documents per index "
        + new TreeMap<>(v.documents()) + ", the manifest " + new TreeMap<>(m.documents())
        + (ok ? "" : " FAILED"));
  }
}
