package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Bad input for the application verbs: one line, non-zero exit, nothing overwritten. */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class AppBadInputTest {
  private RealStack stack;
  private SampleApp app;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
  }

  @AfterEach
  void down() throws Exception {
    app.close();
    stack.close();
  }

  private static void assertOneLine(RealStack.Run run, String expected) {
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertTrue(err.startsWith("lifeboat: "), err);
    assertTrue(err.contains(expected), "'" + expected + "' in: " + err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
  }

  @Test
  void unknownApplication() throws Exception {
    Path config = stack.config("unknown", root -> app.addTo(root));
    RealStack.Run backup = stack.cli("backup", "app", "nope", "--wait", "--config", config.toString());
    assertEquals(2, backup.exit());
    assertOneLine(backup, "unknown application 'nope'");
    RealStack.Run rollback = stack.cli("rollback", "app", "nope", "--config", config.toString());
    assertEquals(2, rollback.exit());
    assertOneLine(rollback, "unknown application 'nope'");
  }

  @Test
  void unknownBackupIdIsRefusedBeforeAnythingStarts() throws Exception {
    Path config = stack.config("unknown-id", root -> app.addTo(root));
    RealStack.Run run = stack.cli("rollback", "app", "--to", "20261121T030000Z-deadbeef",
        "--config", config.toString());
    assertEquals(2, run.exit());
    assertOneLine(run, "no committed backup 20261121T030000Z-deadbeef");
    RealStack.Run bad = stack.cli("rollback", "app", "--to", "../../etc", "--config", config.toString());
    assertEquals(2, bad.exit());
    assertOneLine(bad, "--to takes a backup id");
  }

  @Test
  void missingReleaseDirectory() throws Exception {
    stack.startWorker(SampleApp.workerEnv());
    Path config = stack.config("missing", root -> {
      app.addTo(root);
      ((ObjectNode) root.get("applications").get(0)).put("releaseRoot",
          stack.dir.resolve("no/such/release").toString());
    });
    RealStack.Run run = stack.cli("backup", "app", "--wait", "--config", config.toString());
    assertEquals(1, run.exit(), run.out());
    assertOneLine(run, "no/such/release/current of farmtally does not exist");
    assertTrue(stack.keys().stream().noneMatch(k -> k.endsWith("manifest.json")), stack.keys().toString());
    RealStack.Run rollback = stack.cli("rollback", "app", "--wait", "--config", config.toString());
    assertEquals(1, rollback.exit(), rollback.out());
    assertOneLine(rollback, "does not exist");
  }

  @Test
  void archiveWithDotDotEntriesIsRefusedAndNothingIsWritten() throws Exception {
    app.start();
    stack.startWorker(SampleApp.workerEnv());
    Path config = stack.config("traversal", root -> app.addTo(root));
    // A stored backup whose archive climbs out of current/, with a manifest that matches it.
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(buf))) {
      add(tar, "current/server.js", "console.log('fine')\n");
      add(tar, "current/../../../escaped.txt", "written outside the release\n");
    }
    byte[] archive = buf.toByteArray();
    String id = "20261121T030000Z-evil0001";
    String dir = stack.prefix + "/app/farmtally/" + id + "/";
    stack.store().put(dir + "app.tar.gz", archive, "application/gzip");
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    Map<String, Object> manifest = new java.util.LinkedHashMap<>();
    manifest.put("formatVersion", 1);
    manifest.put("backupId", id);
    manifest.put("kind", "app");
    manifest.put("subject", "farmtally");
    manifest.put("commit", "evil0001");
    manifest.put("objectKey", dir + "app.tar.gz");
    manifest.put("storedBytes", archive.length);
    manifest.put("sha256", sha);
    stack.store().put(dir + "manifest.json", new ObjectMapper().writeValueAsBytes(manifest),
        "application/json");

    RealStack.Run run = stack.cli("rollback", "app", "--to", id, "--wait", "--config", config.toString());
    assertEquals(1, run.exit(), run.out());
    assertOneLine(run, "contains '..'");
    assertEquals("r2", app.revision(), "current/ untouched");
    assertEquals(200, app.status("/api/health"), "the app kept running");
    try (Stream<Path> all = Files.walk(stack.dir)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("escaped.txt")),
          "nothing written outside");
    }
    try (Stream<Path> left = Files.list(app.root)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".rollback-")),
          "no staging left behind");
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
