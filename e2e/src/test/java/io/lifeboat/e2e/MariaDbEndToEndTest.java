package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.mariadb.MariaDbBackupActivitiesImpl;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbTable;
import io.lifeboat.backup.mariadb.MariaDbVerifyRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * MariaDB against a real mariadbd (issue 19): two databases with a trigger, a view, a routine
 * and an event, backed up (manifest, binlog position, scratch restore), damaged, recovered and
 * compared by a deterministic mariadb-dump; the damaged tables kept; one flipped byte in storage
 * fails verification and the recovery before the server is touched; unknown database, server
 * down and wrong password are one line each.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class MariaDbEndToEndTest {
  private static final String PW = "s3cret pass";
  private MariaDbStack fixture;
  private RealStack stack;
  private MariaDbServer db;

  @BeforeEach
  void up() throws Exception {
    fixture = MariaDbStack.start(PW, cliEnv());
    stack = fixture.stack();
    db = fixture.db();
  }

  @AfterEach
  void down() throws Exception {
    if (fixture != null) fixture.close();
  }

  private Path config(String name, int port, String passwordEnv, List<String> databases)
      throws Exception {
    return stack.config(name, root -> {
      ObjectNode m = root.putArray("mariadb").addObject();
      m.put("name", "billing").put("address", "127.0.0.1").put("port", port)
          .put("user", "lifeboat").put("passwordEnv", passwordEnv);
      ArrayNode dbs = m.putArray("databases");
      databases.forEach(dbs::add);
    });
  }

  private static Map<String, String> cliEnv() {
    Map<String, String> env = MariaDbStack.env(PW);
    env.put("LIFEBOAT_IT_MARIADB_BADPW", "wrong");
    return env;
  }

  private void load() throws Exception {
    StringBuilder sql = new StringBuilder("CREATE DATABASE billing; USE billing;"
        + " CREATE TABLE invoice (id INT PRIMARY KEY AUTO_INCREMENT, farm VARCHAR(40) NOT NULL,"
        + " amount DECIMAL(12,2), note TEXT, paid_at DATETIME(6) NULL, blob_col BLOB);"
        + " CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, invoice INT,"
        + " what VARCHAR(20));"
        + " CREATE TRIGGER invoice_audit AFTER INSERT ON invoice FOR EACH ROW"
        + " INSERT INTO audit (invoice, what) VALUES (NEW.id, 'created');"
        + " CREATE VIEW unpaid AS SELECT id, farm, amount FROM invoice WHERE paid_at IS NULL;"
        + " CREATE FUNCTION vat(x DECIMAL(12,2)) RETURNS DECIMAL(12,2) DETERMINISTIC"
        + " RETURN x * 0.2;"
        + " CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'"
        + " DO DELETE FROM audit WHERE id < 0;\n");
    for (int i = 0; i < 300; i++) {
      sql.append("INSERT INTO invoice (farm, amount, note, paid_at, blob_col) VALUES ('farm-")
          .append(i % 17).append("', ").append(i * 13).append(".25, 'it''s \\\"quoted\\\" ")
          .append(i).append("', ").append(i % 3 == 0 ? "NULL" : "'2026-11-0" + (i % 9 + 1)
              + " 10:00:00.123456'").append(", 0x00FF").append(String.format("%02X", i % 256))
          .append(");\n");
    }
    sql.append("CREATE DATABASE tally; USE tally; CREATE TABLE count_row (farm VARCHAR(40),"
        + " n BIGINT, PRIMARY KEY (farm)) ENGINE=InnoDB;"
        + " INSERT INTO count_row VALUES ('north', 10), ('south', 20), ('ünïcode', 30);\n");
    db.sql(sql.toString());
  }

  @Test
  void backupRecoverEqualsSourceAndAFlippedByteFailsVerification() throws Exception {
    load();
    String before = db.dump("billing", "tally");
    Path config = config("mariadb", db.port, "LIFEBOAT_IT_MARIADB_PW",
        List.of("billing", "tally"));
    RealStack.Run b = stack.cli(cliEnv(), "backup", "mariadb", "billing", "--wait",
        "--config", config.toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    assertTrue(b.out().contains("is committed"), b.out());
    assertTrue(b.out().contains("3 with CHECKSUM TABLE equal"), b.out());

    List<String> manifests = stack.keys().stream()
        .filter(k -> k.contains("/mariadb/billing/") && k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    MariaDbManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = io.lifeboat.backup.dump.Manifests.JSON.readValue(in, MariaDbManifest.class);
    }
    assertEquals(List.of("billing", "tally"), m.databases());
    Map<String, Long> rows = new LinkedHashMap<>();
    for (MariaDbTable t : m.tables()) rows.put(t.name(), t.rows());
    assertEquals(Map.of("billing.audit", 300L, "billing.invoice", 300L,
        "tally.count_row", 3L), rows);
    assertNotNull(m.binlogFile(), "the dump records its binlog position");
    assertTrue(m.binlogFile().startsWith("mysql-bin.") && m.binlogPosition() > 0,
        m.binlogFile());
    assertTrue(m.encryption() != null || stack.base.repository().encryption() == null);
    // The backup archived the closed binlogs, each with its commit mark.
    assertTrue(stack.keys().stream().anyMatch(k -> k.contains("/mariadb/billing/binlog/")
        && k.endsWith(m.binlogFile() + ".json")), stack.keys().toString());

    RealStack.Run list = stack.cli(cliEnv(), "backups", "list", "--mariadb", "billing",
        "--config", config.toString());
    assertTrue(list.out().contains(m.backupId()), list.out());

    // The damage: rows deleted and changed, a table dropped.
    db.sql("DELETE FROM billing.invoice WHERE id % 2 = 0; UPDATE tally.count_row SET n = 0;"
        + " DROP TABLE billing.audit;");
    assertNotEquals(before, db.dump("billing", "tally"));

    RealStack.Run r = stack.cli(cliEnv(), "recover", "mariadb", "billing", "--wait",
        "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("3 tables equal to the manifest"), r.out());
    assertEquals(before, db.dump("billing", "tally"), "restored equals the source");
    // Timed against the RTO and reported like a database recovery (issue 19).
    java.util.regex.Matcher reportLine = java.util.regex.Pattern
        .compile("report: lifeboat report (\\S+)").matcher(r.out());
    assertTrue(reportLine.find(), r.out());
    RealStack.Run report = stack.cli(cliEnv(), "report", reportLine.group(1), "--config",
        config.toString());
    assertEquals(0, report.exit(), report.out() + report.err());
    assertTrue(report.out().contains("recovery: billing") && report.out().contains("| Tables checked | 3 |")
        && report.out().contains("logical (mariadb-dump)"), report.out());
    // The damaged tables are kept beside it.
    String kept = db.sql("SELECT schema_name FROM information_schema.schemata"
        + " WHERE schema_name LIKE 'billing\\_before\\_%'").strip();
    assertTrue(kept.startsWith("billing_before_"), kept);
    assertEquals("150", db.sql("SELECT COUNT(*) FROM `" + kept + "`.invoice").strip());

    // One flipped byte in storage: verification fails, and a recovery refuses before it
    // touches the server.
    byte[] stored;
    try (InputStream in = stack.store().get(m.objectKey())) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(m.objectKey(), stored, "application/octet-stream");
    MariaDbManifest fm = m;
    ApplicationFailure bad = assertThrows(ApplicationFailure.class,
        () -> MariaDbBackupActivitiesImpl.verify(stack.store(), stack.cipher(),
            new MariaDbVerifyRequest(stack.base.repository(), fm.objectKey(), fm.sha256(),
                fm.storedBytes(), fm.databases(), Map.of(), Map.of()), () -> { }));
    assertTrue(bad.getType().endsWith("BACKUP_CORRUPT"), bad.getType() + ": " + bad.getMessage());

    db.sql("INSERT INTO tally.count_row VALUES ('untouched', 1);");
    RealStack.Run refused = stack.cli(cliEnv(), "recover", "mariadb", "billing", "--wait",
        "--config", config.toString());
    assertNotEquals(0, refused.exit(), refused.out());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("stored dump"), refused.err());
    assertEquals("1", db.sql("SELECT n FROM tally.count_row WHERE farm = 'untouched'").strip(),
        "the server was not touched");
  }

  @Test
  void unknownDatabaseServerDownAndWrongPasswordAreOneLineEach() throws Exception {
    db.sql("CREATE DATABASE billing;");
    Path unknown = config("unknown", db.port, "LIFEBOAT_IT_MARIADB_PW",
        List.of("billing", "nope"));
    RealStack.Run u = stack.cli(cliEnv(), "backup", "mariadb", "billing", "--wait",
        "--config", unknown.toString());
    assertNotEquals(0, u.exit());
    assertEquals(1, u.err().strip().lines().count(), u.err());
    assertTrue(u.err().contains("has no database 'nope'"), u.err());

    Path down = config("down", RedisServer.freePort(), "LIFEBOAT_IT_MARIADB_PW",
        List.of("billing"));
    RealStack.Run d = stack.cli(cliEnv(), "backup", "mariadb", "billing", "--wait",
        "--config", down.toString());
    assertNotEquals(0, d.exit());
    assertEquals(1, d.err().strip().lines().count(), d.err());
    assertTrue(d.err().contains("does not answer"), d.err());

    Path wrong = config("wrong", db.port, "LIFEBOAT_IT_MARIADB_BADPW", List.of("billing"));
    RealStack.Run w = stack.cli(cliEnv(), "backup", "mariadb", "billing", "--wait",
        "--config", wrong.toString());
    assertNotEquals(0, w.exit());
    assertEquals(1, w.err().strip().lines().count(), w.err());
    assertTrue(w.err().contains("refused the login"), w.err());

    RealStack.Run n = stack.cli(cliEnv(), "backup", "mariadb", "nope", "--config",
        wrong.toString());
    assertEquals(2, n.exit(), n.err());
    assertTrue(n.err().contains("unknown mariadb 'nope'"), n.err());
  }
}
