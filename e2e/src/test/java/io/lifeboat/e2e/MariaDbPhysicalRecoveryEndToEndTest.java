package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * MariaDB point-in-time recovery from a physical backup against a real mariadbd (issue 19): a
 * mariadb-backup taken under a small load, more writes, a target time T, more writes and a
 * dropped table after T; `recover mariadb --to T` prepares the copy in a new directory beside
 * the data directory, replays the archived binlogs to T into it, swaps it in and restarts the
 * server: exactly the data at T, the damaged directory kept; `--backup ID` of the physical
 * backup alone gives what it held. Without mariadb[].dataDir the recovery is one line and
 * touches nothing.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class MariaDbPhysicalRecoveryEndToEndTest {
  private static final String PW = "physrec pass";
  private MariaDbStack fixture;
  private RealStack stack;
  private MariaDbServer db;

  @BeforeEach
  void up() throws Exception {
    fixture = MariaDbStack.start(PW);
    stack = fixture.stack();
    db = fixture.db();
  }

  @AfterEach
  void down() throws Exception {
    if (fixture != null) fixture.close();
  }

  private static Map<String, String> env() {
    return MariaDbStack.env(PW);
  }

  private Path config(String label, boolean withDataDir) throws Exception {
    return stack.config(label, root -> {
      ObjectNode m = fixture.addSource(root, "billing").put("method", "physical");
      if (withDataDir) {
        m.put("dataDir", db.dataDir().toString())
            .put("defaultsFile", db.defaultsFile().toString());
      }
      m.putArray("databases").add("billing");
    });
  }

  @Test
  void toTimeFromAPhysicalBackupGivesExactlyTheDataAtThatTimeInANewDirectory()
      throws Exception {
    db.sql("CREATE DATABASE billing; USE billing; CREATE TABLE ev (id INT PRIMARY KEY"
        + " AUTO_INCREMENT, batch VARCHAR(10), n INT);"
        + " CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(20));"
        + " INSERT INTO ev (batch, n) VALUES ('seed', 1), ('seed', 2);"
        + " INSERT INTO acct VALUES (1, 'ann'), (2, 'bob');");
    Path config = config("physrec", true);
    Path noDataDir = config("physrec-nodir", false);
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = new Thread(() -> {
      int i = 0;
      while (!stop.get()) {
        try {
          db.sql("INSERT INTO billing.ev (batch, n) VALUES ('load', " + i++ + ");");
          Thread.sleep(50);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    load.start();
    RealStack.Run b = stack.cli(env(), "backup", "mariadb", "billing", "--wait", "--config",
        config.toString());
    stop.set(true);
    load.join();
    assertEquals(0, b.exit(), b.out() + b.err());
    assertTrue(b.out().contains("physical (mariadb-backup)"), b.out());

    // Batch A, then T at the next whole second, then batch B and the damage after T.
    for (int i = 0; i < 5; i++) {
      db.sql("INSERT INTO billing.ev (batch, n) VALUES ('A', " + i + ");"
          + " UPDATE billing.ev SET n = n + 100 WHERE batch = 'seed';"
          + " INSERT INTO billing.acct VALUES (" + (10 + i) + ", 'a" + i + "');");
    }
    String atT = db.dump("billing");
    long target = (System.currentTimeMillis() / 1000 + 1) * 1000;
    while (System.currentTimeMillis() < target + 1100) Thread.sleep(50);
    db.sql("INSERT INTO billing.ev (batch, n) VALUES ('B', 1); DELETE FROM billing.ev WHERE"
        + " batch = 'A' AND n = 0; UPDATE billing.ev SET batch = 'B!' WHERE batch = 'load';"
        + " DROP TABLE billing.acct;");
    String damaged = db.dump("billing");
    assertNotEquals(atT, damaged);

    // No dataDir in the config: one line, nothing touched.
    RealStack.Run bad = stack.cli(env(), "recover", "mariadb", "billing", "--to",
        Instant.ofEpochMilli(target).toString(), "--wait", "--config", noDataDir.toString());
    assertNotEquals(0, bad.exit());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().contains("needs mariadb[].dataDir"), bad.err());
    assertEquals(damaged, db.dump("billing"), "a refused recovery touches nothing");

    RealStack.Run r = stack.cli(env(), "recover", "mariadb", "billing", "--to",
        Instant.ofEpochMilli(target).toString(), "--wait", "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("replayed"), r.out());
    assertTrue(r.out().contains("the damaged data directory " + db.dataDir() + " is kept at "),
        r.out());
    assertEquals(atT, db.dump("billing"), "--to T gives exactly the data at T");

    // The damaged directory is kept beside the new one; no restore directory is left.
    List<Path> beside;
    try (Stream<Path> s = Files.list(db.dataDir().getParent())) {
      beside = s.filter(p -> p.getFileName().toString().startsWith("data.")).toList();
    }
    assertEquals(1, beside.size(), beside.toString());
    assertTrue(beside.get(0).getFileName().toString().startsWith("data.before-"),
        beside.toString());
    assertTrue(Files.isDirectory(beside.get(0).resolve("billing")), beside.toString());
    assertTrue(r.out().contains(beside.get(0).toString()), r.out());
    // The live directory is the restored copy (mariadb-backup's files are in it).
    assertTrue(Files.exists(db.dataDir().resolve("xtrabackup_checkpoints")));

    // The restarted server takes writes.
    db.sql("INSERT INTO billing.ev (batch, n) VALUES ('after', 1);");
    assertEquals("1", db.sql("SELECT COUNT(*) FROM billing.ev WHERE batch = 'after';").strip());

    // --backup ID of the physical backup alone (no binlogs): the server as the backup held it,
    // checked against the manifest before the swap; a second kept directory.
    List<String> manifests = stack.keys().stream()
        .filter(k -> k.contains("/mariadb/billing/") && k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), manifests.toString());
    String id = manifests.get(0).split("/")[manifests.get(0).split("/").length - 2];
    Thread.sleep(1100); // the kept directory is named by the run's start second
    RealStack.Run p = stack.cli(env(), "recover", "mariadb", "billing", "--backup", id,
        "--wait", "--config", config.toString());
    assertEquals(0, p.exit(), p.out() + p.err());
    assertTrue(p.out().contains("recovered from backup " + id), p.out());
    assertEquals("0", db.sql("SELECT COUNT(*) FROM billing.ev WHERE batch IN ('A', 'B', 'after',"
        + " 'B!');").strip(), "only what the backup held");
    assertEquals("2", db.sql("SELECT COUNT(*) FROM billing.acct;").strip());
    try (Stream<Path> s = Files.list(db.dataDir().getParent())) {
      assertEquals(2, s.filter(x -> x.getFileName().toString().startsWith("data.before-"))
          .count());
    }
  }
}
