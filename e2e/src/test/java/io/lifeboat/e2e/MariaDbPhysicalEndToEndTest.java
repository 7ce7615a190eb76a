package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbPhysicalActivitiesImpl;
import io.lifeboat.backup.mariadb.MariaDbTable;
import io.lifeboat.backup.mariadb.MariaDbVerifyRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A physical MariaDB backup against a real mariadbd (issue 19): `backup mariadb --physical`
 * lands a mariadb-backup xbstream with its manifest (binlog position, every table's checksum
 * as the prepared copy held it, equal to the source's); one flipped byte in storage fails the
 * verification; recovering it without mariadb[].dataDir is one line.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class MariaDbPhysicalEndToEndTest {
  private static final String PW = "phys pass";
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
  void physicalBackupLandsRestoresEqualAndAFlippedByteFailsVerification() throws Exception {
    StringBuilder sql = new StringBuilder("CREATE DATABASE billing; USE billing;"
        + " CREATE TABLE invoice (id INT PRIMARY KEY, farm VARCHAR(40), amount DECIMAL(12,2));"
        + " CREATE TABLE note (id INT PRIMARY KEY, body TEXT) ENGINE=Aria;\n");
    for (int i = 0; i < 200; i++) {
      sql.append("INSERT INTO invoice VALUES (").append(i).append(", 'farm-").append(i % 7)
          .append("', ").append(i * 3).append(".5); INSERT INTO note VALUES (").append(i)
          .append(", 'n").append(i).append("');\n");
    }
    db.sql(sql.toString());
    Map<String, Long> source = new TreeMap<>();
    for (String line : db.sql("CHECKSUM TABLE billing.invoice, billing.note;").strip()
        .split("\n")) {
      String[] f = line.split("\t");
      source.put(f[0], Long.parseLong(f[1]));
    }
    Path config = stack.config("physical", root -> {
      ObjectNode m = fixture.addSource(root, "billing");
      m.putArray("databases").add("billing");
    });

    RealStack.Run b = stack.cli(env(), "backup", "mariadb", "billing", "--physical", "--wait",
        "--config", config.toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    assertTrue(b.out().contains("physical (mariadb-backup)"), b.out());
    assertTrue(b.out().contains("2 with CHECKSUM TABLE equal"), b.out());

    List<String> manifests = stack.keys().stream()
        .filter(k -> k.contains("/mariadb/billing/") && k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    MariaDbManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = io.lifeboat.backup.dump.Manifests.JSON.readValue(in, MariaDbManifest.class);
    }
    assertEquals(MariaDbManifest.KIND_PHYSICAL, m.kind());
    assertTrue(m.objectKey().endsWith("/backup.xbstream.zst"), m.objectKey());
    assertTrue(m.binlogFile().startsWith("mysql-bin.") && m.binlogPosition() > 0,
        m.binlogFile());
    Map<String, Long> restored = new TreeMap<>();
    for (MariaDbTable t : m.tables()) {
      restored.put(t.name(), t.checksum());
      assertEquals(200L, t.rows(), t.name());
    }
    assertEquals(source, restored, "the prepared copy checksums like the source");

    // Recovering the physical backup needs mariadb[].dataDir, which this config lacks: one
    // line, nothing touched.
    RealStack.Run r = stack.cli(env(), "recover", "mariadb", "billing", "--wait", "--config",
        config.toString());
    assertNotEquals(0, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("needs mariadb[].dataDir"), r.err());

    // One flipped byte in the stored xbstream: the verification fails.
    byte[] stored;
    try (InputStream in = stack.store().get(m.objectKey())) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(m.objectKey(), stored, "application/octet-stream");
    ApplicationFailure bad = assertThrows(ApplicationFailure.class,
        () -> MariaDbPhysicalActivitiesImpl.verify(stack.store(), stack.cipher(),
            new MariaDbVerifyRequest(stack.base.repository(), m.objectKey(), m.sha256(),
                m.storedBytes(), m.databases(), Map.of(), Map.of()), () -> { }));
    assertTrue(bad.getType().endsWith("BACKUP_CORRUPT"), bad.getType() + ": " + bad.getMessage());
  }
}
