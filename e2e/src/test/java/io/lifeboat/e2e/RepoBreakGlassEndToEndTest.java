package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.dump.BackupManifest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Break-glass: with Temporal out of reach (the config points at a port nobody listens on), the
 * config and the keys are enough to list the repository, fetch an encrypted dump, open it and
 * restore it with pg_restore. A stored byte flipped: the fetch fails in one line and leaves no
 * file.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class RepoBreakGlassEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  @Test
  void anEncryptedDumpRestoresByHandWithoutTemporal() throws Exception {
    String db = stack.createDatabase("glass", 5_000);
    Path config = stack.config("glass", root -> RealStack.addDatabase(root, db));
    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.err());
    String manifestKey = stack.keys().stream().filter(k -> k.endsWith("/manifest.json"))
        .findFirst().orElseThrow();
    BackupManifest m;
    try (InputStream in = stack.store().get(manifestKey)) {
      m = new ObjectMapper().readValue(in, BackupManifest.class);
    }

    // Temporal gone, as far as this config can tell.
    Path offline = stack.config("glass-offline", root -> {
      RealStack.addDatabase(root, db);
      ((ObjectNode) root.with("temporal")).put("address", "127.0.0.1:1");
    });
    RealStack.Run ls = stack.cli("repo", "ls", "db/" + db + "/full/", "--long", "--json",
        "--config", offline.toString());
    assertEquals(0, ls.exit(), ls.err());
    com.fasterxml.jackson.databind.JsonNode listed = null;
    for (var o : new ObjectMapper().readTree(ls.out()).get("objects")) {
      if (o.get("key").asText().equals(m.objectKey())) listed = o;
    }
    assertTrue(listed != null, "the dump is listed: " + ls.out());
    assertTrue(listed.get("keyId").asText().startsWith("lbk-"),
        "the dump is encrypted, and the listing names its key: " + listed);
    assertEquals(m.storedBytes(), listed.get("bytes").asLong(), "its stored size: " + listed);

    // As stored: ciphertext, not a zstd frame.
    Path stored = stack.dir.resolve("dump.stored");
    RealStack.Run raw = stack.cli("repo", "get", m.objectKey(), "-o", stored.toString(),
        "--config", offline.toString());
    assertEquals(0, raw.exit(), raw.err());
    assertEquals(m.storedBytes(), Files.size(stored));

    // Opened: exactly the dump pg_dump wrote, which pg_restore restores.
    Path dump = stack.dir.resolve("dump.pgc");
    RealStack.Run get = stack.cli("repo", "get", m.objectKey().substring(
        m.objectKey().indexOf("/db/") + 1), "--decompress", "-o", dump.toString(),
        "--config", offline.toString());
    assertEquals(0, get.exit(), get.err());
    assertEquals(m.rawBytes(), Files.size(dump));
    String scratch = stack.emptyDatabase("glassrestored");
    stack.run(RealStack.pg("pg_restore"), "--no-owner", "-h", stack.host(), "-p", stack.port(),
        "-U", stack.user(), "-d", scratch, dump.toString());
    assertEquals(stack.plainDump(db), stack.plainDump(scratch));

    // One stored byte flipped: one line, exit 1, no file.
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 0x01;
    stack.store().put(m.objectKey(), bytes, "application/octet-stream");
    Path tampered = stack.dir.resolve("tampered.pgc");
    RealStack.Run bad = stack.cli("repo", "get", m.objectKey(), "--decompress", "-o",
        tampered.toString(), "--config", offline.toString());
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("lifeboat: "), bad.err());
    assertFalse(Files.exists(tampered));
    try (var files = Files.list(stack.dir)) {
      List<String> left = files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".tampered")).toList();
      assertTrue(left.isEmpty(), "no partial file: " + left);
    }
  }
}
