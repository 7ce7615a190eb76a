package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.e2e.FaultTable.Outcome;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.DumpProgress;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The fault suite (`./lifeboat faults`): faults injected into real backups and recoveries on
 * the suite's own Temporal, s3proxy, PostgreSQL cluster and worker JVMs ({@link FaultStack}),
 * so the shared stack never sees them. Each fault must end completed correctly or failed with
 * a clear reason, and no previously good object may go missing or change ({@link Ledger}).
 * Every fault adds a row to {@link FaultTable}; the table is written when the class ends.
 */
@Tag("faults")
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_FAULTS", matches = "1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {
  /** Rows of incompressible-ish text: ~20 MB raw, ~10 MB stored, several 5 MB parts. */
  static final int NOISE_ROWS = 150_000;

  private FaultStack faults;
  private RealStack stack;
  private ArchivingCluster cluster;
  private WorkerJvm workers;
  private Process steady;
  private String db;
  private Path config;

  /** The database recovery's id under this config's estate (the one rule: WorkflowIds). */
  private String recoveryId() {
    return io.lifeboat.recover.db.DatabaseRecoveryWorkflow.workflowId(
        new io.lifeboat.config.ConfigLoader().load(config).estate(), db);
  }
  private String checksum;

  @BeforeAll
  void up() throws Exception {
    faults = new FaultStack();
    stack = new RealStack(faults.baseConfig);
    workers = new WorkerJvm(stack.dir);
    db = stack.tag + "_ft";
    int port = ArchivingCluster.freePort();
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("faults", root -> {
      ArchivingCluster.point(root, db, port);
      ObjectNode entry = (ObjectNode) root.get("databases").get(0);
      entry.putArray("validation").addObject().put("name", "noise rows")
          .put("sql", "select count(*) from noise").put("minimum", NOISE_ROWS);
      // Capped at 2 MB/s in 5 MB parts, an upload lasts a few seconds: time to hit it.
      ((ObjectNode) root.get("repository")).put("maxUploadMbPerSecond", 2).put("partSizeMb", 5);
      root.putObject("metrics").put("port", metricsPort);
      root.putObject("retries").put("maxAttempts", 8).put("initialIntervalSeconds", 1)
          .put("maxIntervalSeconds", 3);
    });
    cluster = new ArchivingCluster(stack.tag, db, port, config);
    PitrFixture.createDatabase(cluster);
    PitrFixture.psql(cluster, "create table noise as select g, md5(random()::text)"
        + " || md5(random()::text) || md5(random()::text) || md5(random()::text) as r"
        + " from generate_series(1, " + NOISE_ROWS + ") g");
    checksum = noiseChecksum();
    steady = workers.start(config, stack.taskQueue, "steady", Map.of());
    backup("baseline");
  }

  @AfterAll
  void down() throws Exception {
    try {
      FaultTable.write();
    } finally {
      try {
        if (workers != null) workers.close();
        if (cluster != null) cluster.close();
        if (stack != null) stack.close();
      } finally {
        if (faults != null) faults.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // S3 and Temporal go away in the middle of an upload

  @Test
  @Order(1)
  void s3StopsMidUploadAndComesBack() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("s3"));
    inject("S3 server stopped mid-upload for 8 s", "DatabaseBackup", "DumpToRepository", () -> {
      Ledger before = ledger();
      String id = startBackup();
      awaitParts(id);
      faults.stopS3();
      Thread.sleep(8_000);
      faults.startS3();
      BackupResult r = result(id);
      return committedOnce(before, r);
    });
  }

  @Test
  @Order(2)
  void temporalRestartsMidUpload() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("temporal"));
    inject("Temporal server SIGKILLed mid-upload, restarted on its db file", "DatabaseBackup",
        "DumpToRepository", () -> {
          Ledger before = ledger();
          String id = startBackup();
          awaitParts(id);
          faults.killTemporal();
          Thread.sleep(3_000);
          faults.startTemporal();
          BackupResult r = result(id);
          return committedOnce(before, r);
        });
  }

  /** Exactly one more manifest, its object's sha256 as recorded, no multipart upload left. */
  private Verdict committedOnce(Ledger before, BackupResult r) throws Exception {
    Ledger after = ledger();
    assertEquals(before.manifests().size() + 1, after.manifests().size(), after.manifests()
        .toString());
    assertEquals(r.manifest().sha256(), Ledger.sha256(stack.store(), r.manifest().objectKey()),
        "the stored dump is what the manifest says");
    assertEquals(0, stack.store().pendingUploads(stack.prefix + "/").size(), "no orphan upload");
    return new Verdict(Outcome.COMPLETED, before.lostIn(after),
        "one new manifest, sha256 matches, no orphan multipart upload; upload attempts: "
            + attempts(backupId()).get("DumpToRepository"));
  }

  // ---------------------------------------------------------------------------------------
  // SIGKILL at every step boundary of each recovery workflow

  /**
   * A recovery workflow, its steps as activity types in the order they run, and how to start
   * it and check its end state. Adding a workflow to the suite is one more of these.
   */
  record Recovery(String workflow, String workflowId, List<String> steps, Map<String, String> env,
      Path config, Starter start, Fault check) {}

  interface Starter {
    void start() throws Exception;
  }

  @Test
  @Order(3)
  void sigkillAfterEveryStepOfDumpRecovery() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("dump"));
    PitrFixture.psql(cluster, "delete from noise where g % 2 = 0");
    killAfterEveryStep(new Recovery("DatabaseRecovery (dump)", recoveryId(),
        List.of("RecoveryPlan", "RecoveryAssess", "RecoveryStopApplication",
            "RecoveryRestoreDump", "RecoveryVerify", "RecoverySwapDatabase",
            "RecoveryStartApplication", "RecoveryHealthCheck"),
        Map.of(), config,
        () -> {
          RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--config",
              config.toString());
          assertEquals(0, r.exit(), r.out() + r.err());
        },
        () -> {
          var result = client().newUntypedWorkflowStub(recoveryId())
              .getResult(10, TimeUnit.MINUTES, io.lifeboat.recover.db.RecoveryResult.class);
          assertEquals("succeeded", result.report().outcome());
          assertEquals(checksum, noiseChecksum(), "the data of the dump, exactly");
          String kept = PitrFixture.psql(cluster, "select string_agg(datname, ',') from"
              + " pg_database where datname like '" + db + "\\_%'");
          assertTrue(kept.matches(db + "_replaced_[a-z0-9]+"), "only the damaged copy is kept,"
              + " no scratch database left: " + kept);
          assertEquals(String.valueOf(NOISE_ROWS / 2), cluster.sh(RealStack.pg("psql"), "-X",
              "-q", "-t", "-A", "-h", "127.0.0.1", "-p", String.valueOf(cluster.port), "-U",
              "postgres", "-d", kept, "-c", "select count(*) from noise").strip(),
              "the damaged database is kept as it was");
          return new Verdict(Outcome.COMPLETED, List.of(), "data checksum equal to the backup's;"
              + " damaged database kept as " + kept);
        }));
  }

  @Test
  @Order(4)
  void sigkillAfterEveryStepOfApplicationRollback() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("rollback"));
    SampleApp app = new SampleApp(stack, Map.of());
    try {
      app.start();
      int metricsPort = ArchivingCluster.freePort();
      Path appConfig = stack.config("rollback", root -> {
        app.addTo(root);
        root.putObject("metrics").put("port", metricsPort);
      });
      app.corrupt();
      String rollbackId = "rollback-app-" + stack.base.estate() + "-farmtally"; // names the estate
      killAfterEveryStep(new Recovery("ApplicationRollback", rollbackId,
          List.of("Identify", "StageRelease", "InstallDependencies", "StopApp", "SwapRelease",
              "StartApp", "VerifyHealth"),
          SampleApp.workerEnv(), appConfig,
          () -> {
            RealStack.Run r = stack.cli("rollback", "app", "--config", appConfig.toString());
            assertEquals(0, r.exit(), r.out() + r.err());
          },
          () -> {
            var result = client().newUntypedWorkflowStub(rollbackId)
                .getResult(10, TimeUnit.MINUTES, io.lifeboat.rollback.RollbackResult.class);
            assertTrue(result.health().healthy());
            assertEquals(200, app.status("/api/health"));
            assertTrue(app.body("/api/health").contains("\"revision\":\"r1\""),
                app.body("/api/health"));
            try (var left = Files.list(app.root)) {
              List<String> names = left.map(p -> p.getFileName().toString()).toList();
              assertEquals(1, names.stream().filter(n -> n.startsWith("replaced-")).count(),
                  "swapped exactly once: " + names);
              assertTrue(names.stream().noneMatch(n -> n.startsWith(".rollback-")),
                  "no staging left: " + names);
            }
            return new Verdict(Outcome.COMPLETED, List.of(), "app healthy on the previous"
                + " release (r1), swapped exactly once, broken release kept");
          }));
    } finally {
      app.close();
    }
  }

  // ---------------------------------------------------------------------------------------
  // damage at rest, and a full disk

  @Test
  @Order(5)
  void flippedByteInAStoredDump() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("flip"));
    inject("one byte of the newest stored dump flipped (s3proxy's file)", "BackupVerification"
        + " + DatabaseRecovery (dump)", "VerifyStoredDump / RecoveryRestoreDump", () -> {
          List<String> manifests = ledger().manifests();
          assertTrue(manifests.size() >= 2, "a newest and a previous backup: " + manifests);
          String newest = manifests.get(manifests.size() - 1);
          String previous = manifests.get(manifests.size() - 2);
          String newestId = idOf(newest);
          String previousId = idOf(previous);
          String dumpKey = newest.replace("manifest.json",
              io.lifeboat.repository.RepositoryLayout.DUMP);
          Ledger before = ledger().without(dumpKey);
          String liveBefore = noiseChecksum();
          Path file = faults.objectFile(dumpKey);
          long at = Files.size(file) / 2;
          flip(file, at);
          try {
            RealStack.Run verify = stack.cli("verify", "--wait", "--database", db, "--config",
                config.toString());
            assertNotEquals(0, verify.exit(), "verify must fail: " + verify.out() + verify.err());
            var record = io.lifeboat.backup.dump.Manifests.lastVerification(stack.store(),
                stack.prefix, db, newestId).orElseThrow();
            assertFalse(record.passed(), "the corrupt backup is not marked good");
            String verifyWhy = record.message();
            assertTrue(verifyWhy.contains("corrupt") || verifyWhy.contains("sha256")
                || verifyWhy.contains("checksum"), "a clear reason: " + verifyWhy);

            RealStack.Run recover = stack.cli("recover", "db", db, "--latest", "--wait",
                "--config", config.toString());
            String said = recover.out() + recover.err();
            assertNotEquals(0, recover.exit(), said);
            assertTrue(said.contains("corrupt"), "a clear reason: " + said);
            assertTrue(said.contains(previousId), "names the previous dump " + previousId + ": "
                + said);
            assertEquals(liveBefore, noiseChecksum(), "the live database is untouched");
            assertEquals("", PitrFixture.psql(cluster, "select coalesce(string_agg(datname, ','),"
                + " '') from pg_database where datname like '%\\_lb\\_%'"),
                "no scratch database left");
            String line = said.lines().filter(l -> l.contains("corrupt")).findFirst().orElse("");
            return new Verdict(Outcome.FAILED_CLEARLY, before.lostIn(ledger()),
                "verify: " + verifyWhy + " / recover: " + line.strip());
          } finally {
            flip(file, at); // undo: the suite's later faults start from a clean repository
          }
        });
  }

  @Test
  @Order(6)
  void localCopyDiskFull() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("diskfull"));
    org.junit.jupiter.api.Assumptions.assumeTrue(ArchivingCluster.isRoot(),
        "mounting a small tmpfs needs root (CI and ./lifeboat test run as root)");
    Path full = faults.dir.resolve("full");
    Files.createDirectories(full);
    int metricsPort = ArchivingCluster.freePort();
    ArchivingCluster.sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", full.toString());
    try {
      inject("local copy directory full (2 MB tmpfs)", "DatabaseBackup", "DumpToRepository",
          () -> {
            Ledger before = ledger();
            Path small = stack.config("diskfull", root -> {
              ArchivingCluster.point(root, db, cluster.port);
              ((ObjectNode) root.get("repository")).put("localCopyDir", full.toString())
                  .put("partSizeMb", 5);
              root.putObject("metrics").put("port", metricsPort);
            });
            RealStack.Run r = stack.cli("backup", "db", db, "--wait", "--config",
                small.toString());
            String said = r.out() + r.err();
            assertNotEquals(0, r.exit(), said);
            assertTrue(said.contains("no space left"), "a clear reason: " + said);
            assertEquals(Integer.valueOf(1), attempts(backupId()).get("DumpToRepository"),
                "a full disk is not retried");
            Ledger after = ledger();
            assertEquals(before.manifests(), after.manifests(), "nothing committed");
            assertEquals(0, stack.store().pendingUploads(stack.prefix + "/").size(),
                "the upload was aborted");
            try (var left = Files.walk(full)) {
              List<Path> files = left.filter(Files::isRegularFile).toList();
              assertEquals(List.of(), files, "the partial local copy was removed");
            }
            String line = said.lines().filter(l -> l.contains("no space left")).findFirst()
                .orElse("");
            return new Verdict(Outcome.FAILED_CLEARLY, before.lostIn(after), line.strip());
          });
    } finally {
      ArchivingCluster.sh("umount", full.toString());
    }
  }

  private static String idOf(String manifestKey) {
    String[] parts = manifestKey.split("/");
    return parts[parts.length - 2];
  }

  private static void flip(Path file, long at) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }

  /**
   * Last: once a base backup exists, every recovery of this database is point-in-time, so the
   * dump faults above must run before it.
   */
  @Test
  @Order(7)
  void sigkillAfterEveryStepOfPointInTimeRecovery() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("pitr"));
    PitrFixture.baseBackup(stack, config, db);
    PitrFixture.psql(cluster, "insert into noise select g, md5(g::text) from generate_series("
        + (NOISE_ROWS + 1) + ", " + (NOISE_ROWS + 1000) + ") g");
    String target = PitrFixture.psql(cluster, "select to_char(clock_timestamp() at time zone"
        + " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    String expected = noiseChecksum();
    PitrFixture.psql(cluster, "delete from noise where g % 3 = 0");
    PitrFixture.archiveAll(cluster);
    killAfterEveryStep(new Recovery("DatabaseRecovery (PITR)", recoveryId(),
        List.of("RecoveryPlan", "RecoveryAssess", "RecoveryStopApplication",
            "RecoveryPrepareScratch", "RecoveryDownloadBase", "RecoveryReplay", "RecoveryVerify",
            "RecoverySwapDataDirectory", "RecoveryStartApplication", "RecoveryHealthCheck"),
        Map.of(), config,
        () -> {
          RealStack.Run r = stack.cli("recover", "db", db, "--to", target, "--config",
              config.toString());
          assertEquals(0, r.exit(), r.out() + r.err());
        },
        () -> {
          var result = client().newUntypedWorkflowStub(recoveryId())
              .getResult(10, TimeUnit.MINUTES, io.lifeboat.recover.db.RecoveryResult.class);
          assertEquals("succeeded", result.report().outcome());
          assertEquals(expected, noiseChecksum(), "the data as it was at " + target);
          assertEquals("f", PitrFixture.psql(cluster, "select pg_is_in_recovery()"));
          List<String> names = PitrFixture.siblings(cluster.data);
          assertTrue(names.stream().noneMatch(n -> n.startsWith("data.lifeboat-new-")),
              "no unfinished copy left: " + names);
          assertEquals(1, names.stream().filter(n -> n.startsWith("data.lifeboat-replaced-"))
              .count(), "the damaged data directory kept once: " + names);
          return new Verdict(Outcome.COMPLETED, List.of(), "data at " + target + " exactly;"
              + " damaged data directory kept");
        }));
  }

  // ---------------------------------------------------------------------------------------
  // SIGKILL at every step of the server recovery, in one run

  /** The suite's own second server: not the stack's `dr` (127.0.0.2), which others may use. */
  static final String SERVER_ADDRESS = "127.0.0.3";

  /**
   * One kill of the server recovery: after an activity's work (its effects are there, its
   * completion never reaches Temporal), or while a step waits for a person.
   */
  record ServerKill(String step, String activity, String approval) {
    static ServerKill after(String step, String activity) {
      return new ServerKill(step, activity, null);
    }

    static ServerKill waiting(String step) {
      return new ServerKill(step, null, step);
    }

    String fault() {
      return approval != null ? "SIGKILL worker while the step waits for a person's approval"
          : "SIGKILL worker after the step's work, before its completion";
    }

    String where() {
      return approval != null ? step + " (approval)" : step + ": " + activity;
    }
  }

  /**
   * Each step of ServerRecoveryWorkflowImpl once, in the order they run: the two approvals,
   * the playbook, the database child's download and WAL replay, the release swap (npm ci and
   * the swap are done when it is killed), nginx after PM2, certbot, the HTTPS check.
   */
  static final List<ServerKill> SERVER_KILLS = List.of(
      ServerKill.waiting("provision"),
      ServerKill.after("configure", "ServerRunPlaybook"),
      ServerKill.after("database", "RecoveryDownloadBase"),
      ServerKill.after("database", "RecoveryReplay"),
      ServerKill.after("application", "SwapRelease"),
      ServerKill.after("services", "ServerStartNginx"),
      ServerKill.waiting("dns"),
      ServerKill.after("tls", "ServerIssueCertificate"),
      ServerKill.after("health", "ServerCheckHttps"));

  /**
   * One server recovery onto the suite's own target (127.0.0.3, free ports, its own pebble,
   * nginx, PM2 home and PostgreSQL cluster), whose worker is SIGKILLed once at each step in
   * turn: the next worker must resume there (the killed activity retried, the approval kept),
   * and the run must end serving the restored rows over HTTPS, each step's effect once.
   */
  @Test
  @Order(8)
  void sigkillAtEveryStepOfServerRecovery() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("server"));
    SampleApp app = new SampleApp(stack, Map.of());
    ServerTarget target = null;
    List<String> survived = new java.util.ArrayList<>();
    Process w = null;
    String id = "recover-server-dr";
    try {
      target = new ServerTarget(stack, app, faults.acme(), SERVER_ADDRESS);
      target.backUpProduction(); // on the steady worker
      String users = target.sourceUsers();
      String dbId = "recover-server-dr-db-" + target.db;
      Ledger before = ledger();
      WorkerJvm.kill(steady); // only the doomed workers may take this workflow's tasks

      String name = "srv-0";
      w = startServerWorker(target, name, SERVER_KILLS.get(0));
      RealStack.Run start = target.cli("recover", "server", "--target", "dr");
      assertEquals(0, start.exit(), start.out() + start.err());
      for (int i = 0; i < SERVER_KILLS.size(); i++) {
        ServerKill k = SERVER_KILLS.get(i);
        if (k.approval() != null) {
          ServerTarget.awaitWaiting(client(), id, k.approval());
        } else {
          workers.awaitHold(w, name, k.activity(), () -> WorkerJvm.closed(client(), id));
        }
        WorkerJvm.kill(w);
        name = "srv-" + (i + 1);
        w = startServerWorker(target, name,
            i + 1 < SERVER_KILLS.size() ? SERVER_KILLS.get(i + 1) : null);
        if (k.approval() != null) {
          // The person answers after the crash: the new worker takes the approval.
          if (k.approval().equals("dns")) target.pointDns();
          RealStack.Run ok = target.cli("approve", id, k.approval(), "--by", "dana", "--value",
              SERVER_ADDRESS);
          assertEquals(0, ok.exit(), k.where() + ": " + ok.out() + ok.err());
        }
        survived.add(k.where());
      }
      ServerRecoveryResult r = client().newUntypedWorkflowStub(id)
          .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
      assertEquals("succeeded", r.report().outcome(), r.report().notes().toString());

      // Resumed where it was killed: each killed activity ran again (on a later worker, the
      // killed one never completed it), each approval taken once and kept across the crash.
      Map<String, Integer> attempts = attempts(id);
      attempts.putAll(attempts(dbId));
      var approvals = List.of(client().newUntypedWorkflowStub(id).query(
          io.lifeboat.approval.Approvable.QUERY_APPROVALS,
          io.lifeboat.approval.Approval[].class));
      Map<String, String> resumed = new java.util.LinkedHashMap<>();
      for (ServerKill k : SERVER_KILLS) {
        if (k.approval() != null) {
          long n = approvals.stream().filter(a -> a.step().equals(k.approval())).count();
          assertEquals(1, n, "one approval of " + k.approval() + ": " + approvals);
          var timing = r.steps().stream().filter(s -> s.step().equals(k.step())).findFirst()
              .orElseThrow(() -> new AssertionError("no step " + k.step() + ": " + r.steps()));
          assertTrue(timing.human(), timing.toString());
          resumed.put(k.where(), "approved once after the crash, on the next worker");
        } else {
          int n = attempts.getOrDefault(k.activity(), 0);
          assertTrue(n >= 2, k.activity() + " was not run again after the kill: " + attempts);
          resumed.put(k.where(), k.activity() + " retried on the next worker (attempt " + n
              + ")");
        }
      }

      // The end state: the restored rows over HTTPS through nginx with pebble's certificate,
      // including the one written after the base backup (only WAL replay brings it).
      assertTrue(r.health().healthy(), r.health().toString());
      String stats = target.https("/api/stats");
      assertTrue(stats.contains("\"users\":" + users), stats);
      assertEquals("1", target.targetSql("select count(*) from users where email ="
          + " 'after-base-backup@farmtally.test'"));
      // Each effect once: one release swapped in, no staging left; one certificate lineage;
      // no unfinished data directory beside the recovered one.
      List<String> release = names(target.root.resolve("app/farmtally"));
      assertTrue(release.contains("current"), release.toString());
      assertTrue(release.stream().noneMatch(n -> n.startsWith(".rollback-")
          || n.startsWith("replaced-")), "swapped once, no staging left: " + release);
      List<String> lineages = names(target.root.resolve("letsencrypt/config/live")).stream()
          .filter(n -> !n.equals("README")).toList();
      assertEquals(List.of(target.domain), lineages, "one certificate lineage");
      List<String> pg = names(target.root.resolve("postgresql"));
      assertTrue(pg.stream().noneMatch(n -> n.contains("lifeboat-new")), "no unfinished copy: "
          + pg);
      // Both reports stored: the server's and its database child's.
      List<String> keys = stack.keys();
      assertTrue(r.reportKey() != null && keys.contains(r.reportKey()), r.reportKey());
      var child = client().newUntypedWorkflowStub(dbId).getResult(1, TimeUnit.MINUTES,
          io.lifeboat.recover.db.RecoveryResult.class);
      assertEquals("succeeded", child.report().outcome());
      assertTrue(child.reportKey() != null && keys.contains(child.reportKey()),
          "the database child's report: " + child.reportKey());
      // Nothing lost: every object there before (backups, WAL, app build) unchanged.
      List<String> lost = before.lostIn(ledger());
      String end = "ended succeeded: users=" + users + " over HTTPS incl. the post-base-backup"
          + " row, one swap, one certificate, both reports stored";
      for (ServerKill k : SERVER_KILLS) {
        FaultTable.add(k.fault(), "ServerRecovery", k.where(), Outcome.COMPLETED, lost.size(),
            resumed.get(k.where()) + "; " + end + (lost.isEmpty() ? "" : "; LOST: " + lost));
      }
      assertEquals(List.of(), lost, "previously good objects lost or changed");
    } catch (Throwable t) {
      for (ServerKill k : SERVER_KILLS) {
        FaultTable.add(k.fault(), "ServerRecovery", k.where(), Outcome.NOT_SURVIVED, 0,
            (survived.contains(k.where()) ? "killed here; " : "not reached; ")
                + firstLine(t));
      }
      throw t;
    } finally {
      try {
        if (w != null) w.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        // target reset runs in the CLI: it needs no worker
        if (target != null) target.close();
      } finally {
        app.close();
        steady = workers.start(config, stack.taskQueue, "steady-" + System.nanoTime(), Map.of());
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // A host's agent: missing when a step needs it, then SIGKILLed at a host-bound step

  /** The host-bound step at which the agent of app1 is killed (the one that must run once). */
  static final String AGENT_KILL_STEP = "SwapRelease";

  /**
   * `rollback app` of an application on host app1 (this machine, its own agent queue), with a
   * control worker and no agent: the run waits with LifeboatWaitingStep=agent:app1, runs none
   * of its steps, and the test's webhook receives an agent-missing notification. Then app1's
   * agent starts (holding after {@link #AGENT_KILL_STEP}'s work) and is SIGKILLed there; a
   * restarted `lifeboat agent --host app1` starts at once although Temporal still lists the
   * killed one, the step is retried on it, and the app ends healthy on the previous release,
   * swapped exactly once. Two rows.
   */
  @Test
  @Order(9)
  void hostAgentMissingThenKilledAtAHostBoundStep() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("agent"));
    String missing = "no agent for the host when a host-bound step needs it";
    String killed = "host agent SIGKILLed after a host-bound step's work, restarted";
    String where = "ApplicationRollback (host app1)";
    List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      hooks.add(new String(exchange.getRequestBody().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    SampleApp app = new SampleApp(stack, Map.of(), "farmtally-agent");
    Process control = null;
    boolean waited = false;
    try {
      app.start();
      int metricsPort = ArchivingCluster.freePort();
      Path appConfig = stack.config("agent", root -> {
        root.putObject("metrics").put("port", metricsPort);
        ObjectNode app1 = root.putArray("hosts").addObject();
        app1.put("name", "app1").put("address", "127.0.0.1");
        app1.putArray("roles").add("application");
        app.addTo(root);
        ((ObjectNode) root.withArray("applications").get(0)).put("host", "app1");
        root.putObject("notifications").putObject("webhook").put("urlEnv", "FAULT_HOOK_URL");
      });
      Map<String, String> env = new java.util.HashMap<>(SampleApp.workerEnv());
      env.put("FAULT_HOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
      env.put("LIFEBOAT_AGENT_RUN_DIR", faults.dir.resolve("agents").toString());
      Ledger before = ledger();
      WorkerJvm.kill(steady); // the control worker of this entry carries the webhook's URL
      control = workers.start(appConfig, stack.taskQueue, "agent-control", env);
      app.corrupt();
      String broken = app.revision();
      String id = io.lifeboat.rollback.ApplicationRollbackWorkflow.workflowId(stack.base.estate(),
          app.name);
      RealStack.Run start = stack.cli("rollback", "app", app.name, "--config",
          appConfig.toString());
      assertEquals(0, start.exit(), start.out() + start.err());

      // No agent: the run waits, visibly, runs nothing, and says so to the webhook.
      var stub = client().newUntypedWorkflowStub(id);
      String waiting = null;
      for (int i = 0; i < 1200 && waiting == null; i++) {
        waiting = stub.describe().getTypedSearchAttributes()
            .get(io.lifeboat.run.LifeboatSearchAttributes.WAITING_STEP);
        if (waiting == null) Thread.sleep(250);
      }
      assertEquals("agent:app1", waiting, workers.log("agent-control"));
      String hook = null;
      for (int i = 0; i < 1200 && hook == null; i++) {
        hook = hooks.stream().filter(h -> h.contains("agent-missing")).findFirst().orElse(null);
        if (hook == null) Thread.sleep(250);
      }
      assertTrue(hook != null, "no agent-missing notification: " + hooks);
      assertTrue(hook.contains("waits for the agent of host app1")
          && hook.contains(stack.taskQueue + "-host-app1"), hook);
      Map<String, Integer> early = attempts(id);
      for (String step : List.of("Identify", "StageRelease", "StopApp", AGENT_KILL_STEP)) {
        assertFalse(early.containsKey(step), step + " ran without an agent: " + early);
      }
      assertEquals(broken, app.revision(), "nothing changed while no agent served app1");
      assertEquals(null, WorkerJvm.closed(client(), id), "still running");
      waited = true;

      // The agent appears (it will stop dead after the swap), and is SIGKILLed there.
      Process doomed = workers.startHoldingAgent(appConfig, stack.taskQueue, "app1",
          "agent-doomed", env, AGENT_KILL_STEP);
      workers.awaitHold(doomed, "agent-doomed", AGENT_KILL_STEP,
          () -> WorkerJvm.closed(client(), id));
      String doomedId = "agent@app1/" + doomed.pid();
      WorkerJvm.kill(doomed);
      Process again = workers.startAgent(appConfig, stack.taskQueue, "app1", "agent-again", env);
      var r = stub.getResult(10, TimeUnit.MINUTES, io.lifeboat.rollback.RollbackResult.class);
      assertTrue(r.health().healthy(), r.health().toString());
      assertEquals(200, app.status("/api/health"));
      assertEquals("r1", app.revision(), "on the previous release");
      assertTrue(workers.log("agent-again").contains(doomedId + " is still listed"),
          "the restart recognised the killed agent's poller: " + workers.log("agent-again"));
      assertEquals(null, stub.describe().getTypedSearchAttributes()
          .get(io.lifeboat.run.LifeboatSearchAttributes.WAITING_STEP), "no longer waiting");
      Map<String, Integer> attempts = attempts(id);
      int n = attempts.getOrDefault(AGENT_KILL_STEP, 0);
      assertTrue(n >= 2, AGENT_KILL_STEP + " was not run again: " + attempts);
      String swappedBy = null;
      var events = client().fetchHistory(id).getEvents();
      for (var e : events) {
        if (e.hasActivityTaskCompletedEventAttributes()) {
          long scheduled = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
          var s = events.stream().filter(x -> x.getEventId() == scheduled).findFirst()
              .orElseThrow().getActivityTaskScheduledEventAttributes();
          if (s.getActivityType().getName().equals(AGENT_KILL_STEP)) {
            swappedBy = e.getActivityTaskCompletedEventAttributes().getIdentity();
            assertEquals(stack.taskQueue + "-host-app1", s.getTaskQueue().getName());
          }
        }
      }
      String againId = "agent@app1/" + again.pid();
      assertEquals(againId, swappedBy, "the step completed on the restarted agent");
      try (var left = Files.list(app.root)) {
        List<String> names = left.map(p -> p.getFileName().toString()).toList();
        // This run's own: in the whole suite the fault stack's release root also holds the
        // rollback entry's (replaced-rollback-app-ESTATE-farmtally-...), seen in a fresh clone.
        assertEquals(1, names.stream().filter(x -> x.startsWith("replaced-" + id + "-")).count(),
            "swapped exactly once: " + names);
        assertTrue(names.stream().noneMatch(x -> x.startsWith(".rollback-")),
            "no staging left: " + names);
      }
      List<String> lost = before.lostIn(ledger());
      String end = "; ended healthy on r1, swapped exactly once"
          + (lost.isEmpty() ? "" : "; LOST: " + lost);
      FaultTable.add(missing, where, "Identify (first host-bound step)", Outcome.COMPLETED,
          lost.size(), "waited with LifeboatWaitingStep=agent:app1, no step ran; the test's"
              + " webhook got agent-missing; went on when the agent started" + end);
      FaultTable.add(killed, where, AGENT_KILL_STEP + " on agent@app1", Outcome.COMPLETED,
          lost.size(), "the restart started at once (the killed " + doomedId + " still listed);"
              + " " + AGENT_KILL_STEP + " retried on it (attempt " + n + ")" + end);
      assertEquals(List.of(), lost, "previously good objects lost or changed");
    } catch (Throwable t) {
      FaultTable.add(missing, where, "Identify (first host-bound step)",
          waited ? Outcome.COMPLETED : Outcome.NOT_SURVIVED, 0,
          waited ? "waited visibly and notified; the rest failed" : firstLine(t));
      FaultTable.add(killed, where, AGENT_KILL_STEP + " on agent@app1", Outcome.NOT_SURVIVED, 0,
          (waited ? "" : "not reached; ") + firstLine(t));
      throw t;
    } finally {
      try {
        if (control != null) control.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        app.close();
      } finally {
        receiver.stop(0);
        steady = workers.start(config, stack.taskQueue, "steady-" + System.nanoTime(), Map.of());
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // On an estate of machines (issue 17): namespaces whose forwarders carry this suite's ports

  /**
   * `recover server` onto the estate host dr: dr's agent is SIGKILLed while the database
   * child's download runs on it and started again; the download resumes on the new agent and
   * the app ends serving every production row ({@link EstateFaults#agentKilledMidStep}).
   */
  @Test
  @Order(10)
  void drHostAgentKilledMidStepOfServerRecovery() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("estate") || selected("estate-agent"));
    WorkerJvm.kill(steady); // only the estate's control worker and dr's agent take its tasks
    try {
      new EstateFaults(faults, stack, workers).agentKilledMidStep();
    } finally {
      steady = workers.start(config, stack.taskQueue, "steady-" + System.nanoTime(), Map.of());
    }
  }

  /**
   * db1's link to the control worker down while its dump streams into the repository, then
   * up: the stalled attempt fails by the watchdog, the retry commits one whole dump
   * ({@link EstateFaults#linkDownMidUpload}).
   */
  @Test
  @Order(11)
  void hostLinkDownMidUploadAndBack() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(selected("estate") || selected("estate-link"));
    WorkerJvm.kill(steady); // the estate's control worker is the one that dumps db1
    try {
      new EstateFaults(faults, stack, workers).linkDownMidUpload();
    } finally {
      steady = workers.start(config, stack.taskQueue, "steady-" + System.nanoTime(), Map.of());
    }
  }

  /** A worker for the server recovery that holds after the next kill's activity, if any. */
  private Process startServerWorker(ServerTarget target, String name, ServerKill next)
      throws Exception {
    String hold = next == null || next.activity() == null ? "none" : next.activity();
    return workers.startHolding(target.config, stack.taskQueue, name, SampleApp.workerEnv(),
        hold);
  }

  /** The table keeps one line per row; the whole failure is in the surefire report. */
  private static String firstLine(Throwable t) {
    String s = String.valueOf(t);
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static List<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * While iterating: -Dlifeboat.faults.only=server,pitr runs only those entries (s3, temporal,
   * dump, rollback, flip, diskfull, pitr, server, agent, estate-agent, estate-link; estate for
   * both of the last two); unset, all run.
   */
  private static boolean selected(String entry) {
    String only = System.getProperty("lifeboat.faults.only", "");
    return only.isBlank() || List.of(only.split(",")).contains(entry);
  }

  private void killAfterEveryStep(Recovery r) throws Exception {
    WorkerJvm.kill(steady); // only the doomed workers may take this workflow's tasks
    Ledger before = ledger();
    List<String> held = new java.util.ArrayList<>();
    Process w = null;
    try {
      String name = "hold-0";
      w = workers.startHolding(r.config(), stack.taskQueue, name, r.env(), r.steps().get(0));
      r.start().start();
      for (int i = 0; i < r.steps().size(); i++) {
        workers.awaitHold(w, name, r.steps().get(i));
        WorkerJvm.kill(w);
        held.add(r.steps().get(i));
        name = "hold-" + (i + 1);
        String next = i + 1 < r.steps().size() ? r.steps().get(i + 1) : "none";
        w = workers.startHolding(r.config(), stack.taskQueue, name, r.env(), next);
      }
      Verdict v = r.check().run();
      Map<String, Integer> attempts = attempts(r.workflowId());
      for (String step : r.steps()) {
        assertTrue(attempts.getOrDefault(step, 0) >= 2, step + " was run again after the kill: "
            + attempts);
      }
      List<String> lost = before.lostIn(ledger());
      for (String step : r.steps()) {
        FaultTable.add("SIGKILL worker after the step's work, before its completion",
            r.workflow(), step, v.outcome(), lost.size(), lost.isEmpty() ? v.detail()
                : v.detail() + "; LOST: " + lost);
      }
      assertEquals(List.of(), lost, "previously good objects lost or changed");
    } catch (Throwable t) {
      for (String step : r.steps()) {
        FaultTable.add("SIGKILL worker after the step's work, before its completion",
            r.workflow(), step, held.contains(step) ? Outcome.NOT_SURVIVED : Outcome.NOT_SURVIVED,
            0, (held.contains(step) ? "killed here; " : "not reached; ") + t);
      }
      throw t;
    } finally {
      if (w != null) w.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      steady = workers.start(config, stack.taskQueue, "steady-" + System.nanoTime(), Map.of());
    }
  }

  // ---------------------------------------------------------------------------------------
  // helpers

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
    }
    FaultTable.add(fault, workflow, step, v.outcome(), v.lost().size(),
        v.lost().isEmpty() ? v.detail() : v.detail() + "; LOST: " + v.lost());
    assertEquals(List.of(), v.lost(), "previously good objects lost or changed");
  }

  /** The highest attempt each activity type started with, from the workflow's history. */
  private Map<String, Integer> attempts(String workflowId) {
    Map<Long, String> types = new java.util.HashMap<>();
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

  private String noiseChecksum() throws Exception {
    return PitrFixture.psql(cluster, "select md5(string_agg(r, ',' order by g)) from noise");
  }

  private WorkflowClient client() {
    return stack.temporal().client();
  }

  private String backupId() {
    return io.lifeboat.run.WorkflowIds.manual(io.lifeboat.backup.dump.DatabaseBackupWorkflow
        .workflowId(new io.lifeboat.config.ConfigLoader().load(config).estate(), db));
  }

  private void backup(String why) {
    RealStack.Run r = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, r.exit(), why + " backup: " + r.out() + r.err());
  }

  private String startBackup() {
    RealStack.Run r = stack.cli("backup", "db", db, "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    return backupId();
  }

  private void awaitParts(String workflowId) throws Exception {
    for (int i = 0; i < 3000; i++) {
      var p = WorkerJvm.heartbeat(client(), workflowId, "DumpToRepository", DumpProgress.class);
      if (p.isPresent() && !p.get().partsDone().isEmpty()) return;
      Thread.sleep(50);
    }
    throw new AssertionError("the upload never got under way; steady worker log:\n"
        + workers.log("steady"));
  }

  /** The workflow's result; waits through a Temporal outage (the client reconnects). */
  private BackupResult result(String workflowId) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return client().newUntypedWorkflowStub(workflowId)
            .getResult(10, TimeUnit.MINUTES, BackupResult.class);
      } catch (WorkflowException e) {
        throw e;
      } catch (RuntimeException unavailable) {
        if (i > 60) throw unavailable;
        Thread.sleep(2_000);
      }
    }
  }
}
