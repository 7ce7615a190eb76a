package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static final String SEGMENT = "000000010000000000000003";

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
