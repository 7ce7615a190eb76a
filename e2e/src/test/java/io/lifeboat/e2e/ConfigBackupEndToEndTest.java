package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The weekly configuration backup: nginx, the PM2 ecosystem, system files, Jenkins casc. */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ConfigBackupEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RealStack stack;
  private Path etc;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
    etc = stack.dir.resolve("etc");
    Files.createDirectories(etc.resolve("nginx/sites-enabled"));
    Files.writeString(etc.resolve("nginx/nginx.conf"), "events {}\nhttp { include sites-enabled/*; }\n");
    Files.writeString(etc.resolve("nginx/sites-enabled/farmtally"),
        "server { listen 80; location / { proxy_pass http://127.0.0.1:3300; } }\n");
    Files.writeString(etc.resolve("ecosystem.config.js"), "module.exports = { apps: [] };\n");
    // Debian's layout: an absolute link from sites-enabled into sites-available.
    Files.createDirectories(etc.resolve("nginx/sites-available"));
    Files.writeString(etc.resolve("nginx/sites-available/default"), "server { listen 8080; }\n");
    Files.createSymbolicLink(etc.resolve("nginx/sites-enabled/default"),
        etc.resolve("nginx/sites-available/default"));
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private Path config(String name, boolean withMissingFile) throws Exception {
    return stack.config(name, root -> {
      ObjectNode c = root.putObject("configuration");
      c.put("nginxDir", etc.resolve("nginx").toString());
      c.put("ecosystemFile", etc.resolve("ecosystem.config.js").toString());
      var files = c.putArray("files").add(etc.resolve("hosts").toString());
      if (withMissingFile) files.add(etc.resolve("no-such-file").toString());
      c.put("jenkinsCascFile", etc.resolve("jenkins/casc.yaml").toString());
    });
  }

  @Test
  void everyFileIsArchivedWithItsSha256AndAMissingJenkinsFileIsNoted() throws Exception {
    Path config = config("config", false);
    RealStack.Run run = stack.cli("backup", "config", "--wait", "--json", "--config", config.toString());
    assertEquals(0, run.exit(), run.err());
    JsonNode m = JSON.readTree(run.out()).path("manifest");
    assertEquals("config", m.path("kind").asText());
    assertEquals(5, m.path("fileCount").asInt(), "links are not counted as files: " + m);
    Map<String, String> digests = new HashMap<>();
    for (JsonNode f : m.path("files")) digests.put(f.path("name").asText(), f.path("sha256").asText());
    assertEquals(sha256(etc.resolve("nginx/nginx.conf")), digests.get("nginx/nginx.conf"));
    assertEquals(sha256(etc.resolve("nginx/sites-enabled/farmtally")),
        digests.get("nginx/sites-enabled/farmtally"));
    assertEquals(sha256(etc.resolve("ecosystem.config.js")), digests.get("pm2/ecosystem.config.js"));
    String hostsName = "system/" + etc.resolve("hosts").toString().substring(1);
    assertEquals(sha256(etc.resolve("hosts")), digests.get(hostsName), digests.toString());
    assertEquals(etc.resolve("jenkins/casc.yaml").toString(), m.path("missingOptional").get(0).asText());

    // The stored archive holds exactly those files, with the same content.
    Map<String, String> stored = new HashMap<>();
    try (InputStream in = stack.openStored(m.path("objectKey").asText());
         TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile() && !e.isSymbolicLink()) {
          stored.put(e.getName(), HexFormat.of().formatHex(
              MessageDigest.getInstance("SHA-256").digest(tar.readAllBytes())));
        }
      }
    }
    assertEquals(digests, stored);
    RealStack.Run list = stack.cli("backups", "list", "--configuration", "--config", config.toString());
    assertTrue(list.out().contains(m.path("backupId").asText()), list.out());
  }

  /** The way back: restore config reproduces the original files, links included, or nothing. */
  @Test
  void restoreConfigReproducesTheOriginalFilesIntoANewDirectory() throws Exception {
    Path config = config("restore", false);
    RealStack.Run run = stack.cli("backup", "config", "--wait", "--json", "--config", config.toString());
    assertEquals(0, run.exit(), run.err());
    JsonNode m = JSON.readTree(run.out()).path("manifest");
    String id = m.path("backupId").asText();

    Path to = stack.dir.resolve("restored");
    RealStack.Run restore = stack.cli("restore", "config", "--to", to.toString(), "--json",
        "--config", config.toString());
    assertEquals(0, restore.exit(), restore.err());
    JsonNode r = JSON.readTree(restore.out());
    assertEquals(id, r.path("backupId").asText(), "the newest by default");
    assertEquals(5, r.path("files").asInt());
    assertArrayEquals(Files.readAllBytes(etc.resolve("nginx/nginx.conf")),
        Files.readAllBytes(to.resolve("nginx/nginx.conf")));
    assertArrayEquals(Files.readAllBytes(etc.resolve("nginx/sites-enabled/farmtally")),
        Files.readAllBytes(to.resolve("nginx/sites-enabled/farmtally")));
    assertArrayEquals(Files.readAllBytes(etc.resolve("ecosystem.config.js")),
        Files.readAllBytes(to.resolve("pm2/ecosystem.config.js")));
    assertArrayEquals(Files.readAllBytes(etc.resolve("hosts")),
        Files.readAllBytes(to.resolve("system/" + etc.resolve("hosts").toString().substring(1))));
    // Debian's absolute link comes back as the same link, not as a copy of its target.
    Path link = to.resolve("nginx/sites-enabled/default");
    assertTrue(Files.isSymbolicLink(link), link.toString());
    assertEquals(etc.resolve("nginx/sites-available/default"), Files.readSymbolicLink(link));

    // Into an existing directory, or an unknown id: one line, exit 2, nothing written.
    RealStack.Run again = stack.cli("restore", "config", id, "--to", to.toString(), "--config",
        config.toString());
    assertEquals(2, again.exit(), again.out() + again.err());
    assertEquals(1, again.err().strip().lines().count(), again.err());
    assertTrue(again.err().contains("exists"), again.err());
    Path other = stack.dir.resolve("other");
    RealStack.Run unknown = stack.cli("restore", "config", "20000101T000000Z", "--to",
        other.toString(), "--config", config.toString());
    assertEquals(2, unknown.exit(), unknown.out() + unknown.err());
    assertTrue(unknown.err().contains("no configuration backup 20000101T000000Z"), unknown.err());
    assertFalse(Files.exists(other));

    // A byte of the stored archive flipped: refused in one line, no directory.
    String key = m.path("objectKey").asText();
    byte[] stored;
    try (InputStream in = stack.store().get(key)) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(key, stored, "application/octet-stream");
    RealStack.Run tampered = stack.cli("restore", "config", id, "--to", other.toString(),
        "--config", config.toString());
    assertEquals(1, tampered.exit(), tampered.out() + tampered.err());
    assertEquals(1, tampered.err().strip().lines().count(), tampered.err());
    assertTrue(tampered.err().contains("does not match its manifest"), tampered.err());
    assertFalse(Files.exists(other));
    try (var left = Files.list(stack.dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".lifeboat-config-")));
    }
  }

  @Test
  void aMissingListedFileFailsTheBackupAndCommitsNothing() throws Exception {
    Path config = config("missing", true);
    RealStack.Run run = stack.cli("backup", "config", "--wait", "--config", config.toString());
    assertEquals(1, run.exit(), run.out());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains("no-such-file does not exist"), err);
    assertTrue(stack.keys().stream().noneMatch(k -> k.endsWith("manifest.json")), stack.keys().toString());
  }

  private static String sha256(Path p) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
