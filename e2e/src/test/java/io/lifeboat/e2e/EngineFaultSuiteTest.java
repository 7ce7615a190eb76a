package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.mariadb.MariaDbBackupResult;
import io.lifeboat.backup.redis.RedisBackupResult;
import io.lifeboat.backup.opensearch.OpenSearchBackupResult;
import io.lifeboat.cli.MariaDbSources;
import io.lifeboat.cli.OpenSearchSources;
import io.lifeboat.cli.RedisSources;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.e2e.FaultTable.Outcome;
import io.lifeboat.recover.mariadb.MariaDbRecoveryResult;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryResult;
import io.lifeboat.recover.redis.RedisRecoveryResult;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The fault suite's entries for the engines beyond PostgreSQL (issue 19): a real mariadbd and a
 * real redis-server on free ports, the suite's own Temporal and s3proxy ({@link FaultStack}),
 * the worker a JVM of its own ({@link WorkerJvm}) SIGKILLed mid-backup and mid-restore, then
 * started again. Each run must end completed with the right data: a backup committed once
 * (its stored object's sha256 the manifest's, no multipart upload left, nothing committed
 * while the killed attempt was in flight), a recovery equal to the source (a deterministic
 * mariadb-dump, or Redis key by key); no previously good object lost ({@link Ledger}). The
 * files entries (issue 20, {@link FilesFault}) kill the worker while restic, borg or rsync backs
 * up a tree: the engine's process must die with it, and the retry make exactly one generation
 * that the engine's own check passes and that restores equal to the tree. Rows go
 * to the same {@link FaultTable} as {@link FaultSuiteTest}'s; both classes write the whole
 * table when they end, so the file holds every row of the JVM whichever ends last.
 */
@Tag("faults")
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_FAULTS", matches = "1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineFaultSuiteTest {
  private static final String PW = "s3cret pass";
  /** MariaDB noise: rows of 256 random hex characters, ~13 MB raw, ~7 MB stored. */
  static final int MARIADB_ROWS = 50_000;
  /** Redis noise: strings of 3,000 base64 characters, ~12 MB in the RDB, ~9 MB stored. */
  static final int REDIS_KEYS = 4_000;
  /** OpenSearch noise: documents of 3,000 base64 characters, ~15 MB of segment files. */
  static final int OPENSEARCH_DOCS = 5_000;
  /** How long a run may take to end after the restart (a heartbeat timeout is 30 to 60 s). */
  static final long RESULT_MINUTES = 5;

  private FaultStack faults;
  private RealStack stack;
  private WorkerJvm workers;
  private MariaDbServer mariadb;
  private RedisServer redis;
  private OpenSearchNode opensearch;
  private Path config;
  private LifeboatConfig loaded;
  private int generation;
  /** The files sources' tree ({@link FilesFault#makeTree}). */
  private Path tree;
  /**
   * The files entries, in the order they run (@Order): borg and rsync leave nothing in S3
   * before restic's; duplicity's, in S3 too, runs last.
   */
  static final List<String> FILES_ENGINES = List.of("borg", "rsync", "restic", "duplicity");

  @BeforeAll
  void up() throws Exception {
    Assumptions.assumeTrue(selected("mariadb") || selected("redis") || selected("opensearch")
        || FILES_ENGINES.stream().anyMatch(e -> selected("files-" + e)),
        "no engine entry selected");
    faults = new FaultStack();
    stack = new RealStack(faults.baseConfig);
    workers = new WorkerJvm(stack.dir);
    if (selected("mariadb")) mariadb = MariaDbServer.start(PW);
    if (selected("redis")) redis = RedisServer.start(stack.dir.resolve("redis-data"), PW, true);
    if (selected("opensearch")) opensearch = OpenSearchNode.start(stack.dir.resolve("opensearch"));
    tree = stack.dir.resolve("uploads");
    if (FILES_ENGINES.stream().anyMatch(e -> selected("files-" + e))) FilesFault.makeTree(tree);
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("engines", root -> {
      // Capped at 2 MB/s in 5 MB parts, an upload lasts several seconds: time to hit it.
      ((ObjectNode) root.get("repository")).put("maxUploadMbPerSecond", 2).put("partSizeMb", 5);
      root.putObject("metrics").put("port", metricsPort);
      root.putObject("retries").put("maxAttempts", 8).put("initialIntervalSeconds", 1)
          .put("maxIntervalSeconds", 3);
      if (mariadb != null) {
        root.putArray("mariadb").addObject().put("name", "billing").put("address", "127.0.0.1")
            .put("port", mariadb.port).put("user", mariadb.user)
            .put("passwordEnv", "LIFEBOAT_IT_MARIADB_PW").putArray("databases").add("billing");
      }
      if (redis != null) {
        root.putArray("redis").addObject().put("name", "cache").put("address", "127.0.0.1")
            .put("port", redis.port).put("passwordEnv", "LIFEBOAT_IT_REDIS_PW")
            .put("dataDir", redis.dataDir.toString()).put("appendonly", true);
      }
      var files = root.putArray("files");
      for (String engine : FILES_ENGINES) {
        if (!selected("files-" + engine)) continue;
        ObjectNode f = files.addObject().put("name", "tree-" + engine).put("engine", engine);
        f.putArray("paths").add(tree.toString());
        if (!engine.equals("restic") && !engine.equals("duplicity")) {
          f.put("repositoryPath", stack.dir.resolve("repo-" + engine).toString());
        }
        if (!engine.equals("rsync")) f.put("passwordEnv", FilesFault.PASSWORD_ENV);
        f.put("checkReadDataPercent", 100).put("restoreRoot", stack.dir.toString());
        f.putObject("keep").put("last", 10);
      }
      if (opensearch != null) {
        root.putArray("opensearch").addObject().put("name", "search")
            .put("url", opensearch.url())
            .put("snapshotDir", opensearch.repoRoot.resolve("lifeboat").toString());
      }
    });
    loaded = new ConfigLoader().load(config);
  }

  @AfterAll
  void down() throws Exception {
    try {
      FaultTable.write();
    } finally {
      try {
        if (workers != null) workers.close();
        if (mariadb != null) mariadb.close();
        if (redis != null) redis.close();
        if (opensearch != null) opensearch.close();
        if (stack != null) stack.close();
      } finally {
        if (faults != null) faults.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // MariaDB: logical backup and recovery

  @Test
  @Order(1)
  void mariadbBackupWorkerKilledWhileTheDumpStreams() throws Exception {
    Assumptions.assumeTrue(selected("mariadb"));
    mariadb.sql("CREATE DATABASE billing; USE billing;"
        + " CREATE TABLE noise (g INT PRIMARY KEY, r TEXT NOT NULL);"
        + " INSERT INTO noise SELECT seq, CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512))"
        + " FROM seq_1_to_" + MARIADB_ROWS + ";"
        + " CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, g INT, what VARCHAR(20));"
        + " CREATE TRIGGER noise_audit AFTER INSERT ON noise FOR EACH ROW"
        + " INSERT INTO audit (g, what) VALUES (NEW.g, 'created');"
        + " CREATE VIEW short AS SELECT g, LEFT(r, 8) AS r8 FROM noise WHERE g < 100;");
    String id = io.lifeboat.run.WorkflowIds.manual(MariaDbSources.backupId(loaded,
        loaded.mariadbServer("billing").orElseThrow()));
    inject("SIGKILL worker while the dump streams, worker restarted", "MariaDbBackup",
        "MariadbDumpToRepository", () -> {
          Ledger before = ledger();
          Process w = startWorker();
          cli("backup", "mariadb", "billing");
          awaitInFlight(id, "MariadbDumpToRepository", uploading());
          WorkerJvm.kill(w);
          assertEquals(before.manifests(), ledger().manifests(),
              "nothing committed while the dump was in flight");
          startWorker();
          MariaDbBackupResult r = client().newUntypedWorkflowStub(id)
              .getResult(RESULT_MINUTES, TimeUnit.MINUTES, MariaDbBackupResult.class);
          String verdict = committedOnce(before, r.manifest().objectKey(), r.manifest().sha256(),
              id, "MariadbDumpToRepository");
          assertEquals(MARIADB_ROWS, r.manifest().tables().stream()
              .filter(t -> t.name().equals("billing.noise")).findFirst().orElseThrow().rows());
          return new Verdict(Outcome.COMPLETED, before.lostIn(ledger()), verdict
              + "; verified: " + r.manifest().verification());
        });
  }

  @Test
  @Order(2)
  void mariadbRecoveryWorkerKilledAfterSetAsideAndWhileTheDumpLoads() throws Exception {
    Assumptions.assumeTrue(selected("mariadb"));
    String expected = mariadb.dump("billing");
    mariadb.sql("DELETE FROM billing.noise WHERE g % 2 = 0; DROP VIEW billing.short;");
    assertNotEquals(expected, mariadb.dump("billing"));
    String id = MariaDbSources.recoveryId(loaded, loaded.mariadbServer("billing").orElseThrow());
    inject("SIGKILL worker after set-aside's work (before its completion), then again while"
        + " the dump loads into the server; worker restarted each time", "MariaDbRecovery",
        "MariadbSetAside + MariadbLoad", () -> {
          Ledger before = ledger();
          // A short step first: it must be picked up after its 10 s heartbeat timeout, not
          // its 10 minute start-to-close (the load below would never be seen in flight).
          String hold = "hold-set-aside-" + (++generation);
          Process h = workers.startHolding(config, stack.taskQueue, hold, workerEnv(),
              "MariadbSetAside");
          cli("recover", "mariadb", "billing");
          workers.awaitHold(h, hold, "MariadbSetAside", () -> WorkerJvm.closed(client(), id));
          WorkerJvm.kill(h);
          Process w = startWorker();
          // Under way: the dump has recreated the table (the damaged one was set aside and the
          // database dropped before the load) and its 13 MB of rows are going in.
          awaitInFlight(id, "MariadbLoad", () -> !mariadb.sql("SELECT table_name FROM"
              + " information_schema.tables WHERE table_schema = 'billing'"
              + " AND table_name = 'noise'").isBlank());
          WorkerJvm.kill(w);
          startWorker();
          MariaDbRecoveryResult r = client().newUntypedWorkflowStub(id)
              .getResult(RESULT_MINUTES, TimeUnit.MINUTES, MariaDbRecoveryResult.class);
          int loads = attempts(id).getOrDefault("MariadbLoad", 0);
          assertTrue(loads >= 2, "the load was killed before its end and ran again: " + loads);
          int asides = attempts(id).getOrDefault("MariadbSetAside", 0);
          assertTrue(asides >= 2, "set-aside ran again after the kill: " + asides);
          assertEquals(expected, mariadb.dump("billing"), "restored equals the source");
          String kept = r.kept().get("billing");
          assertTrue(kept != null && kept.startsWith("billing_before_"), r.kept().toString());
          assertEquals(String.valueOf(MARIADB_ROWS / 2),
              mariadb.sql("SELECT COUNT(*) FROM `" + kept + "`.noise").strip(),
              "the damaged table is kept as it was");
          String left = mariadb.sql("SELECT GROUP_CONCAT(schema_name ORDER BY schema_name) FROM"
              + " information_schema.schemata WHERE schema_name LIKE 'billing%'").strip();
          assertEquals("billing," + kept, left, "no other copy left");
          return new Verdict(Outcome.COMPLETED, before.lostIn(ledger()), "MariadbSetAside attempts: "
              + asides + ", MariadbLoad attempts: " + loads + "; deterministic mariadb-dump equal to the source; " + r.tables()
              + " tables equal to the manifest; damaged tables kept in " + kept);
        });
  }

  // ---------------------------------------------------------------------------------------
  // Redis: RDB snapshot backup and recovery

  @Test
  @Order(3)
  void redisBackupWorkerKilledWhileTheSnapshotUploads() throws Exception {
    Assumptions.assumeTrue(selected("redis"));
    Random random = new Random(19);
    StringBuilder load = new StringBuilder();
    byte[] bytes = new byte[2_250];
    for (int i = 0; i < REDIS_KEYS; i++) {
      random.nextBytes(bytes);
      load.append("SET blob:").append(i).append(' ')
          .append(Base64.getEncoder().encodeToString(bytes)).append('\n');
      if (i % 10 == 0) {
        load.append("HSET tally:").append(i).append(" farm f").append(i % 13).append(" count ")
            .append(i * 3).append('\n');
      }
    }
    load.append("RPUSH queue a b c d\nSADD tags x y z\nZADD board 1 ana 2 ben 3.5 cy\n");
    redis.pipe(load.toString());
    assertEquals(String.valueOf(REDIS_KEYS + REDIS_KEYS / 10 + 3), redis.cli("DBSIZE").strip());
    String id = io.lifeboat.run.WorkflowIds.manual(RedisSources.backupId(loaded,
        loaded.redisServer("cache").orElseThrow()));
    inject("SIGKILL worker while the snapshot uploads, worker restarted", "RedisBackup",
        "RedisSnapshotToRepository", () -> {
          Ledger before = ledger();
          Process w = startWorker();
          cli("backup", "redis", "cache");
          awaitInFlight(id, "RedisSnapshotToRepository", uploading());
          WorkerJvm.kill(w);
          assertEquals(before.manifests(), ledger().manifests(),
              "nothing committed while the upload was in flight");
          startWorker();
          RedisBackupResult r = client().newUntypedWorkflowStub(id)
              .getResult(RESULT_MINUTES, TimeUnit.MINUTES, RedisBackupResult.class);
          String verdict = committedOnce(before, r.manifest().objectKey(), r.manifest().sha256(),
              id, "RedisSnapshotToRepository");
          assertEquals(REDIS_KEYS + REDIS_KEYS / 10 + 3, r.manifest().keys());
          return new Verdict(Outcome.COMPLETED, before.lostIn(ledger()), verdict
              + "; verified: " + r.manifest().verification());
        });
  }

  @Test
  @Order(4)
  void redisRecoveryWorkerKilledAfterTheSwapAndAfterEnablingAof() throws Exception {
    Assumptions.assumeTrue(selected("redis"));
    String expected = redis.contents();
    redis.cli("FLUSHALL");
    redis.cli("SET", "after", "backup");
    assertNotEquals(expected, redis.contents());
    String id = RedisSources.recoveryId(loaded, loaded.redisServer("cache").orElseThrow());
    inject("SIGKILL worker after the swap's work (server restarted on the backup), before its"
        + " completion, then after enable-aof's work; worker restarted each time",
        "RedisRecovery", "RedisSwapAndStart + RedisEnableAof", () -> {
          Ledger before = ledger();
          String name = "hold-swap-" + (++generation);
          Process w = workers.startHolding(config, stack.taskQueue, name, workerEnv(),
              "RedisSwapAndStart");
          cli("recover", "redis", "cache");
          workers.awaitHold(w, name, "RedisSwapAndStart",
              () -> WorkerJvm.closed(client(), id));
          WorkerJvm.kill(w);
          // A short step next: picked up after its 10 s heartbeat timeout, not 10 minutes.
          String aof = "hold-aof-" + (++generation);
          Process a = workers.startHolding(config, stack.taskQueue, aof, workerEnv(),
              "RedisEnableAof");
          workers.awaitHold(a, aof, "RedisEnableAof", () -> WorkerJvm.closed(client(), id));
          WorkerJvm.kill(a);
          startWorker();
          RedisRecoveryResult r = client().newUntypedWorkflowStub(id)
              .getResult(RESULT_MINUTES, TimeUnit.MINUTES, RedisRecoveryResult.class);
          int swaps = attempts(id).getOrDefault("RedisSwapAndStart", 0);
          assertTrue(swaps >= 2, "the swap ran again after the kill: " + swaps);
          int aofs = attempts(id).getOrDefault("RedisEnableAof", 0);
          assertTrue(aofs >= 2, "enable-aof ran again after the kill: " + aofs);
          assertEquals(expected, redis.contents(), "restored equals the source, key by key");
          assertTrue(redis.cli("CONFIG", "GET", "appendonly").contains("yes"), "AOF on again");
          try (var files = Files.list(redis.dataDir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(1, names.stream().filter(n -> n.startsWith("appendonlydir.before-"))
                .count(), "the replaced AOF kept once: " + names);
            assertTrue(names.stream().noneMatch(n -> n.contains(".partial")
                || n.startsWith("dump.rdb.lifeboat-")), "no staged file left: " + names);
          }
          return new Verdict(Outcome.COMPLETED, before.lostIn(ledger()), "RedisSwapAndStart"
              + " attempts: " + swaps + ", RedisEnableAof attempts: " + aofs + "; " + r.keys() + " keys equal to the source key by key;"
              + " AOF on again; the replaced AOF directory kept once");
        });
  }

  // ---------------------------------------------------------------------------------------
  // OpenSearch: snapshot shipped file by file, and recovery through a staged restore

  @Test
  @Order(5)
  void opensearchBackupWorkerKilledWhileTheSnapshotFilesUpload() throws Exception {
    Assumptions.assumeTrue(selected("opensearch"));
    opensearch.ok("PUT", "/tallies", "{\"settings\":{\"number_of_shards\":2,"
        + "\"number_of_replicas\":0}}");
    opensearch.ok("PUT", "/farms", "{\"settings\":{\"number_of_replicas\":0}}");
    Random random = new Random(19);
    byte[] bytes = new byte[2_250];
    for (int batch = 0; batch < OPENSEARCH_DOCS / 500; batch++) {
      StringBuilder bulk = new StringBuilder();
      for (int i = batch * 500; i < (batch + 1) * 500; i++) {
        random.nextBytes(bytes);
        bulk.append("{\"index\":{\"_index\":\"tallies\",\"_id\":\"t").append(i)
            .append("\"}}\n{\"farm\":\"f").append(i % 20).append("\",\"count\":").append(i * 3)
            .append(",\"blob\":\"").append(Base64.getEncoder().encodeToString(bytes))
            .append("\"}\n");
      }
      if (batch == 0) {
        for (int i = 0; i < 20; i++) {
          bulk.append("{\"index\":{\"_index\":\"farms\",\"_id\":\"f").append(i)
              .append("\"}}\n{\"name\":\"Farm ").append(i).append("\",\"acres\":")
              .append(10 + i).append("}\n");
        }
      }
      assertTrue(!opensearch.ok("POST", "/_bulk", bulk.toString()).path("errors").asBoolean(),
          "bulk load");
    }
    // Few large segment files: each is one multipart upload of several parts.
    opensearch.ok("POST", "/_refresh", null);
    opensearch.ok("POST", "/tallies/_forcemerge?max_num_segments=1", null);
    assertEquals(OPENSEARCH_DOCS, opensearch.ok("GET", "/tallies/_count", null).path("count")
        .asLong());
    String id = io.lifeboat.run.WorkflowIds.manual(OpenSearchSources.backupId(loaded,
        loaded.openSearchSource("search").orElseThrow()));
    inject("SIGKILL worker while the snapshot's files upload, worker restarted",
        "OpenSearchBackup", "OpensearchShipFiles", () -> {
          Ledger before = ledger();
          Process w = startWorker();
          cli("backup", "opensearch", "search");
          String blobs = io.lifeboat.backup.opensearch.OpenSearchLayout.blobsRoot(stack.prefix,
              "search");
          // Killed once some shared blobs are stored: the retry meets them.
          awaitInFlight(id, "OpensearchShipFiles",
              () -> uploading().holds() && !stack.store().list(blobs).isEmpty());
          int storedByTheKilledAttempt = stack.store().list(blobs).size();
          WorkerJvm.kill(w);
          assertEquals(before.manifests(), ledger().manifests(),
              "nothing committed while the files were in flight");
          startWorker();
          OpenSearchBackupResult r = client().newUntypedWorkflowStub(id)
              .getResult(RESULT_MINUTES, TimeUnit.MINUTES, OpenSearchBackupResult.class);
          String verdict = committedOnce(before, r.manifest().fileListKey(), null, id,
              "OpensearchShipFiles");
          var listed = io.lifeboat.backup.opensearch.OpenSearchFiles.readList(stack.store(),
              stack.cipher(), r.manifest().fileListKey());
          assertEquals(r.manifest().files(), listed.size());
          for (var e : listed) {
            assertEquals(e.storedSha256(), Ledger.sha256(stack.store(), e.key()),
                "stored file " + e.key() + " is what the file list says");
            // The killed attempt's blobs are read back and kept, not copied under the backup
            // (the next backup reuses shared blobs only: copies would all ship again).
            assertTrue(!e.path().contains("/") || e.key().startsWith(blobs), e.key());
          }
          assertTrue(r.manifest().uploadedBytes() < r.manifest().storedBytes(),
              "the retry shipped only what the killed attempt had not: " + r.manifest());
          assertEquals(Map.of("farms", 20L, "tallies", (long) OPENSEARCH_DOCS),
              r.manifest().documents());
          return new Verdict(Outcome.COMPLETED, before.lostIn(ledger()), verdict + "; "
              + r.manifest().files() + " files, " + r.manifest().storedBytes()
              + " bytes stored, " + r.manifest().uploadedBytes() + " by the retry ("
              + storedByTheKilledAttempt + " blobs kept from the killed attempt); verified: "
              + r.manifest().verification());
        });
  }

  @Test
  @Order(6)
  void opensearchRecoveryWorkerKilledAfterTheStageAndAfterTheSwap() throws Exception {
    Assumptions.assumeTrue(selected("opensearch"));
    String tallies = opensearch.documents("tallies");
    String farms = opensearch.documents("farms");
    opensearch.ok("POST", "/tallies/_doc/t1?refresh=true", "{\"farm\":\"changed\"}");
    opensearch.ok("DELETE", "/tallies/_doc/t2?refresh=true", null);
    opensearch.ok("POST", "/tallies/_doc/new?refresh=true", "{\"farm\":\"after backup\"}");
    opensearch.ok("DELETE", "/farms", null);
    assertNotEquals(tallies, opensearch.documents("tallies"));
    String id = OpenSearchSources.recoveryId(loaded,
        loaded.openSearchSource("search").orElseThrow());
    inject("SIGKILL worker after the stage's work (files fetched, scratch repository"
        + " registered), before its completion, then after the swap's work (live indices"
        + " replaced); worker restarted each time", "OpenSearchRecovery",
        "OpensearchStage + OpensearchSwap", () -> {
          Ledger before = ledger();
          String stage = "hold-stage-" + (++generation);
          Process h = workers.startHolding(config, stack.taskQueue, stage, workerEnv(),
              "OpensearchStage");
          cli("recover", "opensearch", "search");
          workers.awaitHold(h, stage, "OpensearchStage", () -> WorkerJvm.closed(client(), id));
          WorkerJvm.kill(h);
          String swap = "hold-swap-" + (++generation);
          Process s = workers.startHolding(config, stack.taskQueue, swap, workerEnv(),
              "OpensearchSwap");
          workers.awaitHold(s, swap, "OpensearchSwap", () -> WorkerJvm.closed(client(), id));
          WorkerJvm.kill(s);
          startWorker();
          OpenSearchRecoveryResult r = client().newUntypedWorkflowStub(id)
              .getResult(RESULT_MINUTES, TimeUnit.MINUTES, OpenSearchRecoveryResult.class);
          int stages = attempts(id).getOrDefault("OpensearchStage", 0);
          assertTrue(stages >= 2, "the stage ran again after the kill: " + stages);
          int swaps = attempts(id).getOrDefault("OpensearchSwap", 0);
          assertTrue(swaps >= 2, "the swap ran again after the kill: " + swaps);
          assertEquals(tallies, opensearch.documents("tallies"),
              "tallies equal the source by _id and _source");
          assertEquals(farms, opensearch.documents("farms"),
              "farms equal the source by _id and _source");
          List<String> indices = opensearch.indices();
          List<String> kept = indices.stream().filter(i -> i.startsWith("tallies-before-"))
              .toList();
          assertEquals(1, kept.size(), "the replaced index kept once: " + indices);
          assertEquals(List.of("farms", "tallies", kept.get(0)), indices,
              "no scratch index left");
          assertTrue(opensearch.documents(kept.get(0)).contains("after backup"),
              "the replaced index is kept as it was");
          assertEquals(1, opensearch.ok("GET", "/_snapshot", null).size(),
              "only Lifeboat's repository, no scratch repository left");
          try (var left = Files.list(opensearch.repoRoot.resolve("lifeboat-scratch"))) {
            assertEquals(0, left.count(), "the staged files are removed");
          }
          return new Verdict(Outcome.COMPLETED, before.lostIn(ledger()), "OpensearchStage"
              + " attempts: " + stages + ", OpensearchSwap attempts: " + swaps + "; "
              + r.restored() + " documents equal to the source by _id and _source;"
              + " the replaced index kept once as " + kept.get(0) + "; no scratch left");
        });
  }


  // ---------------------------------------------------------------------------------------
  // Files sources (issue 20): restic, borg, rsync, each SIGKILLed while its backup runs

  @Test
  @Order(7)
  void filesBorgBackupWorkerKilledWhileBorgCreateRuns() throws Exception {
    filesBackupWorkerKilled("borg");
  }

  @Test
  @Order(8)
  void filesRsyncBackupWorkerKilledWhileRsyncCopies() throws Exception {
    filesBackupWorkerKilled("rsync");
  }

  @Test
  @Order(9)
  void filesResticBackupWorkerKilledWhileResticBacksUp() throws Exception {
    filesBackupWorkerKilled("restic");
  }

  @Test
  @Order(10)
  void filesDuplicityBackupWorkerKilledWhileAVolumeIsUploaded() throws Exception {
    filesBackupWorkerKilled("duplicity");
  }

  private void filesBackupWorkerKilled(String engine) throws Exception {
    Assumptions.assumeTrue(selected("files-" + engine));
    var source = loaded.filesSource("tree-" + engine).orElseThrow();
    String id = io.lifeboat.run.WorkflowIds.manual(
        io.lifeboat.cli.files.FilesPlans.backupId(loaded, source));
    FilesFault ff = new FilesFault(engine, source, loaded.repository(), stack, workerEnv());
    inject("SIGKILL worker while " + ff.tool() + " backs up the tree (its child process"
        + " running), worker restarted", "FilesBackup (" + engine + ")", "FilesBackup",
        () -> {
          Ledger before = ledger();
          Process w = startWorker();
          cli("backup", "files", source.name());
          List<ProcessHandle> children = new java.util.ArrayList<>();
          awaitInFlight(id, "FilesBackup", () -> {
            children.clear();
            children.addAll(ff.engineChildren(w));
            return !children.isEmpty() && ff.underWay();
          });
          WorkerJvm.kill(w);
          String orphans = ff.awaitGone(children);
          assertEquals("", orphans, "the killed worker's " + ff.tool() + " process kept running");
          String left = ff.leftUnfinished(tree,
              FilesFault.BIG_FILES + FilesFault.SMALL_FILES + 2);
          startWorker();
          var r = client().newUntypedWorkflowStub(id).getResult(RESULT_MINUTES,
              TimeUnit.MINUTES, io.lifeboat.backup.files.FilesBackupResult.class);
          int attempts = attempts(id).getOrDefault("FilesBackup", 0);
          assertTrue(attempts >= 2, "FilesBackup was killed before its end and ran again: "
              + attempts);
          assertTrue(r.manifest().verification().startsWith("ok:"), r.manifest().toString());
          Ledger after = ledger();
          String mine = "/files-manifests/" + source.name() + "/";
          assertEquals(1, after.manifests().stream().filter(k -> k.contains(mine)).count(),
              "one files manifest for the source: " + after.manifests());
          String generations = ff.exactlyOneGeneration(r.manifest().snapshotId(),
              "lifeboat-run=" + id + "/" + r.manifest().backupId());
          String check = ff.ownCheck();
          String restored = ff.restoreMatches(tree, r.manifest().snapshotId(),
              stack.dir.resolve("restored-" + engine), config);
          return new Verdict(Outcome.COMPLETED, before.lostIn(after), children.size() + " "
              + ff.tool() + " process(es) seen running, gone after the kill (no orphan);"
              + " " + left + "; FilesBackup attempts: " + attempts + "; " + generations + "; "
              + check + "; "
              + restored + "; verified: " + r.manifest().verification());
        });
  }

  // ---------------------------------------------------------------------------------------
  // helpers

  /**
   * -Dlifeboat.faults.only=mariadb,redis runs only those entries (also opensearch,
   * files-borg, files-rsync, files-restic, files-duplicity; as FaultSuiteTest's names:
   * an engine name here selects this class's entries, any other list skips them).
   */
  private static boolean selected(String entry) {
    String only = System.getProperty("lifeboat.faults.only", "");
    return only.isBlank() || List.of(only.split(",")).contains(entry);
  }

  record Verdict(Outcome outcome, List<String> lost, String detail) {}

  interface Fault {
    Verdict run() throws Exception;
  }

  /** Runs one fault and adds its row; a failed assertion is a row "NOT SURVIVED", then fails. */
  private void inject(String fault, String workflow, String step, Fault body) throws Exception {
    Verdict v;
    try {
      v = body.run();
    } catch (Throwable t) {
      FaultTable.add(fault, workflow, step, Outcome.NOT_SURVIVED, 0, String.valueOf(t));
      throw t;
    } finally {
      workers.close(); // the next entry starts its own worker
    }
    FaultTable.add(fault, workflow, step, v.outcome(), v.lost().size(),
        v.lost().isEmpty() ? v.detail() : v.detail() + "; LOST: " + v.lost());
    assertEquals(List.of(), v.lost(), "previously good objects lost or changed");
  }

  private Map<String, String> workerEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("LIFEBOAT_IT_MARIADB_PW", PW);
    env.put("LIFEBOAT_IT_REDIS_PW", PW);
    env.put(FilesFault.PASSWORD_ENV, PW);
    if (tree != null) {
      env.put("LIFEBOAT_RSYNC_BIN", FilesFault.throttledRsync(stack.dir).toString());
      env.put("LIFEBOAT_DUPLICITY_BIN", FilesFault.smallVolumeDuplicity(stack.dir).toString());
      env.put("LIFEBOAT_DUPLICITY_STATE_DIR", stack.dir.resolve("duplicity-state").toString());
    }
    return env;
  }

  private Process startWorker() throws Exception {
    return workers.start(config, stack.taskQueue, "worker-" + (++generation), workerEnv());
  }

  private void cli(String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(workerEnv());
    List<String> argv = new java.util.ArrayList<>(List.of(args));
    argv.addAll(List.of("--config", config.toString()));
    RealStack.Run r = stack.cli(env, argv.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out() + r.err());
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  /** A multipart upload of the backup's object is open in S3: the stream is under way. */
  private Condition uploading() {
    return () -> !stack.store().pendingUploads(stack.prefix + "/").isEmpty();
  }

  /**
   * Waits until the activity is running on a worker and {@code underWay} holds (its stream
   * has begun); gives up when the workflow closes first.
   */
  private void awaitInFlight(String workflowId, String activity, Condition underWay)
      throws Exception {
    for (int i = 0; i < 6000; i++) {
      for (var a : WorkerJvm.pending(client(), workflowId)) {
        if (a.getActivityType().getName().equals(activity)
            && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            && underWay.holds()) {
          return;
        }
      }
      if (i % 20 == 0) {
        String why = WorkerJvm.closed(client(), workflowId);
        if (why != null) {
          throw new AssertionError(activity + " never seen in flight: " + why
              + " (the data too small for the step to last?)");
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(activity + " never got under way");
  }

  /**
   * Exactly one more manifest, its stored object's sha256 the recorded one, no multipart
   * upload left, the streaming step run again after the kill.
   */
  private String committedOnce(Ledger before, String objectKey, String sha256, String workflowId,
      String step) throws Exception {
    Ledger after = ledger();
    assertEquals(before.manifests().size() + 1, after.manifests().size(),
        after.manifests().toString());
    if (sha256 != null) {
      assertEquals(sha256, Ledger.sha256(stack.store(), objectKey),
          "the stored object is what the manifest says");
    }
    assertEquals(0, stack.store().pendingUploads(stack.prefix + "/").size(), "no orphan upload");
    int attempts = attempts(workflowId).getOrDefault(step, 0);
    assertTrue(attempts >= 2, step + " was killed before its end and ran again: " + attempts);
    return "one new manifest, sha256 matches, no orphan multipart upload; " + step
        + " attempts: " + attempts;
  }

  /** The highest attempt each activity type started with, from the workflow's history. */
  private Map<String, Integer> attempts(String workflowId) {
    Map<Long, String> types = new HashMap<>();
    Map<String, Integer> attempts = new java.util.TreeMap<>();
    for (var e : client().fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        types.put(e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      }
      if (e.hasActivityTaskStartedEventAttributes()) {
        var a = e.getActivityTaskStartedEventAttributes();
        attempts.merge(types.getOrDefault(a.getScheduledEventId(), "?"), a.getAttempt(),
            Math::max);
      }
    }
    return attempts;
  }

  private Ledger ledger() throws Exception {
    return Ledger.of(stack.store(), stack.prefix);
  }

  private WorkflowClient client() {
    return stack.temporal().client();
  }
}
