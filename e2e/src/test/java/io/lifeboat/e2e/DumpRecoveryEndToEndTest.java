package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Without base backups, `recover db NAME --latest` restores the newest nightly dump into a
 * scratch database on the live server, verifies it, and renames it into place; the damaged
 * database is kept under another name. A time target is refused: a dump has no timeline.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DumpRecoveryEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  @Test
  void latestRestoresTheNewestDumpAndKeepsTheDamagedDatabase() throws Exception {
    String db = stack.createDatabase("dumprec", 2000);
    Path config = stack.config("dumprec", root -> {
      var entry = RealStack.addDatabase(root, db);
      entry.putArray("validation").addObject().put("name", "tallies present")
          .put("sql", "select count(*) from tallies").put("minimum", 2000);
    });
    stack.startWorker();
    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.err());
    String before = stack.plainDump(db);

    stack.psql(db, "delete from tallies where id % 2 = 0");

    RealStack.Run toTime = stack.cli("recover", "db", db, "--to", "2026-11-21T09:00:00Z",
        "--config", config.toString());
    assertEquals(2, toTime.exit(), toTime.err());
    assertTrue(toTime.err().contains("needs one"), toTime.err());

    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("full dump restore"), r.out());
    assertEquals(before, stack.plainDump(db), "the data of the nightly dump");

    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    assertTrue(kept.startsWith(db + "_replaced_"), "damaged database kept: " + kept);
    assertEquals("1000", stack.psql(kept, "select count(*) from tallies"));
    stack.psql("postgres", "drop database " + kept + " with (force)");
  }
}
