package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * MariaDB point-in-time recovery against a real mariadbd (issue 19): a backup taken under a
 * small load, more writes, a target time T between two batches, more writes after T; `recover
 * mariadb --to T` gives exactly the data at T (a deterministic dump taken at T); a target after
 * the archived binlogs and one before every backup are one line each.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class MariaDbPitrEndToEndTest {
  private static final String PW = "pitr pass";
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

  @Test
  void toTimeGivesExactlyTheDataAtThatTime() throws Exception {
    db.sql("CREATE DATABASE billing; USE billing; CREATE TABLE ev (id INT PRIMARY KEY"
        + " AUTO_INCREMENT, batch VARCHAR(10), n INT);"
        + " INSERT INTO ev (batch, n) VALUES ('seed', 1), ('seed', 2);");
    Path config = stack.config("pitr", root -> {
      ObjectNode m = fixture.addSource(root, "billing");
      m.putArray("databases").add("billing");
    });
    // A small load while the backup runs.
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

    // A target before every backup: one line, nothing touched.
    RealStack.Run early = stack.cli(env(), "recover", "mariadb", "billing", "--to",
        "2001-01-01T00:00:00Z", "--wait", "--config", config.toString());
    assertNotEquals(0, early.exit());
    assertEquals(1, early.err().strip().lines().count(), early.err());
    assertTrue(early.err().contains("finished before 2001-01-01T00:00:00Z"), early.err());

    // Batch A, then T at the next whole second (binlog times have one-second resolution),
    // then batch B strictly after T's second.
    for (int i = 0; i < 5; i++) {
      db.sql("INSERT INTO billing.ev (batch, n) VALUES ('A', " + i + ");"
          + " UPDATE billing.ev SET n = n + 100 WHERE batch = 'seed';");
    }
    String atT = db.dump("billing");
    long target = (System.currentTimeMillis() / 1000 + 1) * 1000;
    while (System.currentTimeMillis() < target + 1100) Thread.sleep(50);
    db.sql("INSERT INTO billing.ev (batch, n) VALUES ('B', 1); DELETE FROM billing.ev WHERE"
        + " batch = 'A' AND n = 0; UPDATE billing.ev SET batch = 'B!' WHERE batch = 'load';");
    assertNotEquals(atT, db.dump("billing"));

    // A target after the end of what the server has written: one line, nothing touched.
    String now = db.dump("billing");
    String future = Instant.now().plusSeconds(3600).toString();
    RealStack.Run late = stack.cli(env(), "recover", "mariadb", "billing", "--to", future,
        "--wait", "--config", config.toString());
    assertNotEquals(0, late.exit());
    assertEquals(1, late.err().strip().lines().count(), late.err());
    assertTrue(late.err().contains("outside the binlog window"), late.err());
    assertEquals(now, db.dump("billing"), "a refused recovery touches nothing");

    RealStack.Run r = stack.cli(env(), "recover", "mariadb", "billing", "--to",
        Instant.ofEpochMilli(target).toString(), "--wait", "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("replayed"), r.out());
    assertEquals(atT, db.dump("billing"), "--to T gives exactly the data at T");
    assertNotEquals(now, atT);
  }
}
