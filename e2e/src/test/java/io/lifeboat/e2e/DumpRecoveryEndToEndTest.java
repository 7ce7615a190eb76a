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
 * database is kept under another name. A time target is refused: a dump has no timeline. With
 * an offsite configured, the recovery's report is in the offsite bucket when the run ends,
 * without an `offsite sync`.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DumpRecoveryEndToEndTest {
  private RealStack stack;
  private OffsiteProxy offsite;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    offsite = new OffsiteProxy();
  }

  @AfterEach
  void down() throws Exception {
    offsite.close();
    stack.close();
  }

  private java.util.List<String> offsiteKeys(String under) {
    try (var s3 = offsite.client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(OffsiteProxy.BUCKET)
              .prefix(stack.prefix + "/" + under)).contents().stream()
          .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
    }
  }

  @Test
  void latestRestoresTheNewestDumpAndKeepsTheDamagedDatabase() throws Exception {
    String db = stack.createDatabase("dumprec", 2000);
    Path config = stack.config("dumprec", root -> {
      var entry = RealStack.addDatabase(root, db);
      entry.putArray("validation").addObject().put("name", "tallies present")
          .put("sql", "select count(*) from tallies").put("minimum", 2000);
      offsite.addTo(root);
    });
    java.util.Map<String, String> env = offsite.env();
    stack.startWorker(env);
    RealStack.Run backup = stack.cli(env, "backup", "db", db, "--wait", "--config",
        config.toString());
    assertEquals(0, backup.exit(), backup.err());
    String before = stack.plainDump(db);

    stack.psql(db, "delete from tallies where id % 2 = 0");

    RealStack.Run toTime = stack.cli("recover", "db", db, "--to", "2026-11-21T09:00:00Z",
        "--config", config.toString());
    assertEquals(2, toTime.exit(), toTime.err());
    assertTrue(toTime.err().contains("needs one"), toTime.err());

    assertTrue(offsiteKeys("reports/").isEmpty(), offsiteKeys("reports/").toString());
    RealStack.Run r = stack.cli(env, "recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("full dump restore"), r.out());
    assertEquals(before, stack.plainDump(db), "the data of the nightly dump");

    // The report reached the offsite as it was written: no sync ran. Same bytes as the primary.
    java.util.List<String> primary = stack.keys().stream()
        .filter(k -> k.contains("/reports/database-recovery/")).sorted().toList();
    java.util.List<String> there = offsiteKeys("reports/database-recovery/");
    assertEquals(3, primary.size(), primary.toString());
    assertEquals(primary, there, "report.json, .md and .html offsite");
    String jsonKey = primary.stream().filter(k -> k.endsWith("/report.json")).findFirst()
        .orElseThrow();
    try (var s3 = offsite.client(); var in = stack.store().get(jsonKey)) {
      assertEquals(new String(in.readAllBytes()), s3.getObjectAsBytes(b -> b
          .bucket(OffsiteProxy.BUCKET).key(jsonKey)).asUtf8String());
    }

    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    assertTrue(kept.startsWith(db + "_replaced_"), "damaged database kept: " + kept);
    assertEquals("1000", stack.psql(kept, "select count(*) from tallies"));
    stack.psql("postgres", "drop database " + kept + " with (force)");
  }
}
