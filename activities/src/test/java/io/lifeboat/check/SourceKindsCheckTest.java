package io.lifeboat.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.backup.files.ResticTarget;
import io.lifeboat.backup.mariadb.MariaDbLayout;
import io.lifeboat.backup.opensearch.OpenSearchLayout;
import io.lifeboat.backup.redis.RedisLayout;
import io.lifeboat.config.ChecksConfig;
import io.lifeboat.drill.DrillKpis;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepTiming;
import io.lifeboat.wal.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Redis, MariaDB, OpenSearch and files sources in the repository check: each judged against
 * its own limit from its committed manifests, with the newest backup's time and size; a files
 * backup whose restic check failed does not count; and the scheduled check's drill KPIs.
 */
class SourceKindsCheckTest {
  static final Instant NOW = EveryKindCheckTest.NOW;
  static final ChecksConfig LIMITS = new ChecksConfig(null, 25, 7, 4, 0, null, null, null, null,
      10, 20, 30, 40);
  final MemoryStore store = new MemoryStore();

  String id(Duration ago) {
    return RepositoryLayout.uniqueBackupId(NOW.minus(ago).toEpochMilli(), "run-0123abcd");
  }

  void manifest(String key, String json) {
    store.put(key, json.getBytes(), "application/json");
  }

  String redis(Duration ago, long bytes) {
    String id = id(ago);
    store.put(RedisLayout.snapshotKey("p", "cache", id), new byte[] {1}, "x");
    manifest(RedisLayout.manifestKey("p", "cache", id),
        "{\"backupId\":\"" + id + "\",\"storedBytes\":" + bytes + "}");
    return id;
  }

  SourceCheck check(String kind, String name, ChecksConfig limits) {
    CheckReport r = new RepositoryChecker().check(store, new CheckRequest(
        List.of(new CheckSource(kind, name)), EveryKindCheckTest.REPO, limits, "UTC",
        NOW.toEpochMilli(), false));
    assertNull(r.drillKpis(), "the CLI's check (remember=false) computes no KPIs");
    return r.sources().get(0);
  }

  SourceCheck check(String kind, String name) {
    return check(kind, name, LIMITS);
  }

  @Test
  void redisIsJudgedAgainstItsOwnLimitWithTheNewestTimeAndSize() {
    SourceCheck none = check("redis", "cache");
    assertFalse(none.passed());
    assertEquals(-1, none.newestAtMillis());
    assertTrue(none.problems().get(0).contains("cache (redis): no committed backup"),
        none.problems().toString());

    redis(Duration.ofHours(30), 111);
    String newest = redis(Duration.ofHours(11), 2048);
    // a snapshot without its manifest is no backup
    store.put(RedisLayout.snapshotKey("p", "cache", id(Duration.ofHours(1))), new byte[] {1}, "x");
    SourceCheck c = check("redis", "cache");
    assertEquals(2, c.backups());
    assertEquals(newest, c.newestBackupId());
    assertFalse(c.fresh(), "11 h is over redisMaxAgeHours 10");
    assertTrue(c.retentionCompliant(), "no day/week/month requirement");
    assertTrue(c.problems().get(0).contains("(limit 10h)"), c.problems().toString());
    assertEquals(NOW.minus(Duration.ofHours(11)).toEpochMilli(), c.newestAtMillis());
    assertEquals(2048, c.newestBytes());
    assertTrue(check("redis", "cache", ChecksConfig.DEFAULT).passed(), "default limit 25 h");
  }

  @Test
  void mariadbAndOpenSearchReadTheirOwnLayouts() {
    String m = id(Duration.ofHours(19));
    store.put(MariaDbLayout.dumpKey("p", "shop", m), new byte[] {1}, "x");
    manifest(MariaDbLayout.manifestKey("p", "shop", m), "{\"storedBytes\":77}");
    // the binlog archive beside the dumps is not a backup
    manifest(MariaDbLayout.binlogMarkKey("p", "shop", "mariadb-bin.000001"), "{}");
    SourceCheck shop = check("mariadb", "shop");
    assertEquals(1, shop.backups());
    assertEquals(77, shop.newestBytes());
    assertTrue(shop.passed(), "19 h < mariadbMaxAgeHours 20");
    assertFalse(check("mariadb", "shop", new ChecksConfig(null, 25, 7, 4, 0, null, null, null,
        null, null, 18, null, null)).fresh(), "19 h > 18");

    String o = id(Duration.ofHours(31));
    manifest(OpenSearchLayout.fileListKey("p", "search", o), "[]");
    manifest(OpenSearchLayout.manifestKey("p", "search", o), "{\"storedBytes\":5000}");
    store.put(OpenSearchLayout.blobsRoot("p", "search") + "indices/x/0/__blob", new byte[] {1},
        "x");
    SourceCheck search = check("opensearch", "search");
    assertEquals(1, search.backups());
    assertEquals(5000, search.newestBytes());
    assertFalse(search.fresh(), "31 h > opensearchMaxAgeHours 30");
    assertTrue(search.problems().get(0).contains("search (opensearch)"), search.problems()
        .toString());
  }

  @Test
  void aFilesBackupCountsOnlyWhenItsResticCheckPassed() {
    String ok = id(Duration.ofHours(45));
    manifest(ResticTarget.manifestKey(EveryKindCheckTest.REPO, "uploads", ok),
        "{\"backupId\":\"" + ok + "\",\"verification\":\"ok: no errors\",\"totalBytes\":900}");
    String bad = id(Duration.ofHours(2));
    manifest(ResticTarget.manifestKey(EveryKindCheckTest.REPO, "uploads", bad),
        "{\"backupId\":\"" + bad + "\",\"verification\":\"failed: pack damaged\","
            + "\"totalBytes\":901}");
    SourceCheck f = check("files", "uploads");
    assertEquals(1, f.backups(), "the failed check's manifest is not a good backup");
    assertEquals(ok, f.newestBackupId());
    assertEquals(900, f.newestBytes());
    assertFalse(f.fresh(), "45 h > filesMaxAgeHours 40");
    assertTrue(check("files", "uploads", new ChecksConfig(null, 25, 7, 4, 0, null, null, null,
        null, null, null, null, 46)).passed());
  }

  @Test
  void theScheduledCheckComputesTheDrillKpisFromTheStoredReports() throws Exception {
    drill("drill-monthly-1", Duration.ofDays(40), RunReport.SUCCEEDED, 100_000, 900_000);
    drill("drill-monthly-2", Duration.ofDays(10), RunReport.FAILED, 1_200_000, 900_000);
    CheckReport r = new RepositoryChecker().check(store, new CheckRequest(
        List.of(new CheckSource("drill", "monthly")), EveryKindCheckTest.REPO, LIMITS, "UTC",
        NOW.toEpochMilli(), true));
    DrillKpis k = r.drillKpis();
    assertEquals(2, k.drills());
    assertEquals(1, k.passed());
    assertEquals(0.5, k.successRate());
    assertEquals(0.5, k.adherenceRate(), "each drill planned approve-start + one sign-off;"
        + " the failed one approved neither");
    DrillKpis.ScenarioKpi db = k.scenarios().get(0);
    assertEquals("database", db.scenario());
    assertEquals(1_200_000, db.lastMillis());
    assertEquals(900_000, db.rtoMillis());
    assertFalse(db.lastMet());
    DrillKpis.CadenceKpi monthly = k.cadences().stream()
        .filter(c -> c.cadence().equals("monthly")).findFirst().orElseThrow();
    assertTrue(monthly.scheduled());
    assertFalse(k.cadences().stream().filter(c -> c.cadence().equals("quarterly")).findFirst()
        .orElseThrow().scheduled(), "not among the sources: not scheduled");
  }

  void drill(String wf, Duration ago, String outcome, long machine, long rto) throws Exception {
    long finished = NOW.minus(ago).toEpochMilli();
    boolean ok = RunReport.SUCCEEDED.equals(outcome);
    List<StepTiming> steps = ok ? List.of(
        new StepTiming(io.lifeboat.drill.DrillWorkflow.START, 0, 1, "approved"),
        new StepTiming(io.lifeboat.drill.DrillWorkflow.SIGN_OFF + "database", 1, 2, "approved"))
        : List.of();
    RunReport r = new RunReport(wf, "run", "drill", "farmtally monthly", "farmtally",
        finished - 600_000, finished, outcome, 0, steps, Map.of("drill", "monthly",
            "scenarios", "database", "database: " + io.lifeboat.drill.ScenarioResult.RECOVERY_TIME,
            "x (" + machine + "/" + rto + " ms)"), List.of());
    store.put(RepositoryLayout.reportKey("p", "drill", wf, r.startedAtMillis(), "json"),
        new ObjectMapper().writeValueAsBytes(r), "application/json");
  }
}
