package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * wal-fetch is PostgreSQL's restore_command, and its exit status is all PostgreSQL reads:
 * 1..125 means "not in the archive" and ends recovery there (with --latest the server is then
 * promoted without the WAL after it); above 125 aborts recovery. So only a file the archive
 * lacks may exit 1; a stored segment that cannot be restored, an unreachable repository or a
 * misconfigured command exit 128, with one line for the server log, in-process and through
 * the launcher's prefetching path.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class WalFetchExitCodesTest {
  private static final int STOP_RECOVERY = 128;
  /** A stand-in's name on a timeline the cluster never reaches, so its archiver never meets it. */
  private static final String SEGMENT = "000000090000000000000003";

  private RealStack stack;
  private ArchivingCluster cluster;
  private String db;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_fetch";
    cluster = ArchivingCluster.of(stack, db);
    config = cluster.stackConfig;
    Path seg = stack.dir.resolve("segment");
    Files.write(seg, "a small stand-in for a WAL segment".getBytes());
    RealStack.Run push = stack.cli("wal-push", "--config", config.toString(), "--database", db,
        seg.toString(), SEGMENT);
    assertEquals(0, push.exit(), push.err());
  }

  @AfterEach
  void down() throws Exception {
    if (cluster != null) cluster.close();
    stack.close();
  }

  @Test
  void aMissingFileExits1AndAnUnrestorableOneStopsRecovery() throws Exception {
    Path dest = stack.dir.resolve("RECOVERYXLOG");
    RealStack.Run missing = fetch(config, "0000000100000000000000FF", dest);
    assertEquals(1, missing.exit(), missing.err());
    assertOneLine(missing, "not in the WAL archive");

    // The stored object is damaged: it is in the archive, so "not there" would be a lie.
    String key = stack.keys().stream().filter(k -> k.contains("/wal/") && k.contains(SEGMENT))
        .findFirst().orElseThrow(() -> new AssertionError(stack.keys().toString()));
    stack.store().put(key, "not zstd, not encrypted, not the segment".getBytes(),
        "application/octet-stream");
    RealStack.Run corrupt = fetch(config, SEGMENT, dest);
    assertEquals(STOP_RECOVERY, corrupt.exit(), corrupt.err());
    assertOneLine(corrupt, SEGMENT);
    assertFalse(Files.exists(dest), "nothing half-written where PostgreSQL looks");

    // The same through the launcher, as PostgreSQL runs it with a prefetching spool.
    Path pgDest = cluster.dir.resolve("RECOVERYXLOG");
    RealStack.Run async = cluster.launcherAsPostgres("wal-fetch", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db,
        SEGMENT, pgDest.toString());
    assertEquals(STOP_RECOVERY, async.exit(), async.err());
    assertOneLine(async, SEGMENT);
    assertFalse(Files.exists(pgDest));
    RealStack.Run asyncMissing = cluster.launcherAsPostgres("wal-fetch", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db,
        "00000002.history", pgDest.toString());
    assertEquals(1, asyncMissing.exit(), asyncMissing.err());
  }

  @Test
  void anUnreachableRepositoryStopsRecovery() throws Exception {
    Path offline = stack.config("offline", root -> {
      ArchivingCluster.point(root, db, 5432);
      // nothing listens on the discard port: connection refused after the client's retries
      ((ObjectNode) root.get("repository")).put("endpoint", "http://127.0.0.1:9");
    });
    Path dest = stack.dir.resolve("RECOVERYXLOG");
    RealStack.Run run = fetch(offline, SEGMENT, dest);
    assertEquals(STOP_RECOVERY, run.exit(), run.err());
    assertOneLine(run, "");
    assertFalse(Files.exists(dest));
  }

  @Test
  void aMisconfiguredRestoreCommandStopsRecovery() throws Exception {
    Path dest = stack.dir.resolve("RECOVERYXLOG");
    // %p and %f swapped: the "name" is a path, which can never be in the archive.
    RealStack.Run swapped = stack.cli("wal-fetch", "--config", config.toString(), "--database",
        db, dest.toString(), SEGMENT);
    assertEquals(STOP_RECOVERY, swapped.exit(), swapped.err());
    assertOneLine(swapped, "not a WAL file name");
    RealStack.Run unknown = stack.cli("wal-fetch", "--config", config.toString(), "--database",
        "no_such_db", SEGMENT, dest.toString());
    assertEquals(STOP_RECOVERY, unknown.exit(), unknown.err());
    assertOneLine(unknown, "unknown database 'no_such_db'");
    RealStack.Run typo = stack.cli("wal-fetch", "--config", config.toString(), "--databse", db,
        SEGMENT, dest.toString());
    assertEquals(STOP_RECOVERY, typo.exit(), typo.err());
    assertOneLine(typo, "--databse");
    assertFalse(Files.exists(dest));
  }

  /**
   * The whole point, with PostgreSQL itself: a base backup, three segments archived after it,
   * the middle one damaged in the repository. Recovery with wal-fetch as restore_command must
   * stop at the damage, and the server must not come up (with exit 1 it ended recovery there
   * and promoted a server without the last two segments' rows).
   */
  @Test
  void postgresStopsRecoveryAtADamagedSegmentInsteadOfPromoting() throws Exception {
    Path restore = cluster.dir.resolve("restore");
    asPostgres(RealStack.pg("pg_basebackup"), "-h", "127.0.0.1", "-p",
        String.valueOf(cluster.port), "-U", "postgres", "-D", restore.toString(), "-X", "none",
        "-c", "fast");
    cluster.psql("create table t(v text)");
    List<String> segments = new ArrayList<>();
    for (String v : List.of("a", "b", "c")) {
      cluster.psql("insert into t values ('" + v + "')");
      segments.add(cluster.psql("select pg_walfile_name(pg_current_wal_lsn())"));
      PitrFixture.archiveAll(cluster);
    }
    String damaged = segments.get(1);
    String key = stack.keys().stream().filter(k -> k.contains("/wal/") && k.contains(damaged))
        .findFirst().orElseThrow(() -> new AssertionError(damaged + " in " + stack.keys()));
    stack.store().put(key, "damaged".getBytes(), "application/octet-stream");

    int port = ArchivingCluster.freePort();
    String restoreCommand = "LIFEBOAT_ENV_FILE=" + cluster.envFile + " "
        + ArchivingCluster.LAUNCHER + " wal-fetch --config " + cluster.config + " --database "
        + db + " %f %p";
    Files.writeString(restore.resolve("postgresql.conf"), String.join("\n", "",
        "port = " + port,
        "unix_socket_directories = '" + cluster.dir + "'",
        "archive_mode = off",
        "restore_command = '" + restoreCommand.replace("'", "''") + "'",
        ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    asPostgres("touch", restore.resolve("recovery.signal").toString());
    Path log = cluster.dir.resolve("restore.log");
    try {
      // pg_ctl may see it start (as a server in recovery) or already failed: either way, wait.
      asPostgresRun(RealStack.pg("pg_ctl"), "-D", restore.toString(), "-l", log.toString(),
          "start");
      // The outcome: the postmaster gives up (pg_ctl status 3), or recovery ends and it opens.
      String serverLog = "";
      while (asPostgresRun(RealStack.pg("pg_ctl"), "-D", restore.toString(), "status").exit() != 3
          && !(serverLog = Files.readString(log)).contains("ready to accept connections")) {
        Thread.sleep(200);
      }
      serverLog = Files.readString(log);
      assertFalse(serverLog.contains("ready to accept connections"),
          "recovery ended at " + damaged + " and the server came up without it:\n" + serverLog);
      assertTrue(serverLog.contains("exit code 128") && serverLog.contains(damaged), serverLog);
    } finally {
      asPostgresRun(RealStack.pg("pg_ctl"), "-D", restore.toString(), "-m", "immediate", "stop");
    }
  }

  private static void asPostgres(String... argv) throws Exception {
    RealStack.Run r = asPostgresRun(argv);
    if (r.exit() != 0) throw new AssertionError(String.join(" ", argv) + ": " + r.out() + r.err());
  }

  private static RealStack.Run asPostgresRun(String... argv) throws Exception {
    List<String> all = new ArrayList<>();
    if (ArchivingCluster.isRoot()) all.addAll(List.of("runuser", "-u", "postgres", "--"));
    all.addAll(List.of(argv));
    Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new RealStack.Run(p.waitFor(), out, "");
  }

  private RealStack.Run fetch(Path cfg, String name, Path dest) {
    return stack.cli("wal-fetch", "--config", cfg.toString(), "--database", db, name,
        dest.toString());
  }

  private static void assertOneLine(RealStack.Run run, String phrase) {
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("lifeboat: ") && err.contains(phrase), err);
  }
}
