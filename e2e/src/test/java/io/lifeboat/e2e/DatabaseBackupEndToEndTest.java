package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.backup.dump.BackupManifest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** A backup against the real stack, read back byte for byte and restored with pg_restore. */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DatabaseBackupEndToEndTest {
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
  void backupLandsWithMatchingManifestAndRestoresToEqualData() throws Exception {
    String db = stack.createDatabase("src", 20_000);
    Path config = stack.config("backup", root -> RealStack.addDatabase(root, db));

    RealStack.Run run = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("is committed"), run.out());
    assertTrue(run.out().contains("MB/s"), "summary shows throughput: " + run.out());

    List<String> manifests = stack.keys().stream().filter(k -> k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    BackupManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = new ObjectMapper().readValue(in, BackupManifest.class);
    }
    assertEquals(db, m.database());
    assertTrue(m.rawBytes() > m.storedBytes(), "compressed: " + m.rawBytes() + " > " + m.storedBytes());

    // The stored object, read back from S3, is exactly what the manifest says.
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Path dump = stack.dir.resolve("restored.pgc");
    try (InputStream obj = stack.store().get(m.objectKey());
         DigestInputStream digest = new DigestInputStream(obj, sha);
         ZstdInputStream unzstd = new ZstdInputStream(
             stack.cipher().open(digest, m.objectKey(), m.objectKey()))) {
      Files.copy(unzstd, dump);
      digest.transferTo(java.io.OutputStream.nullOutputStream()); // every stored byte digested
    }
    assertEquals(m.sha256(), HexFormat.of().formatHex(sha.digest()));
    assertEquals(m.rawBytes(), Files.size(dump));

    // The local copy is the same object.
    assertTrue(m.localCopy() != null && Files.exists(Path.of(m.localCopy())));
    assertEquals(m.storedBytes(), Files.size(Path.of(m.localCopy())));

    // Restored into a scratch database, the data equals the source.
    String scratch = stack.emptyDatabase("restored");
    stack.run(RealStack.pg("pg_restore"), "--no-owner", "-h", stack.host(), "-p", stack.port(),
        "-U", stack.user(), "-d", scratch, dump.toString());
    String source = stack.plainDump(db);
    String restored = stack.plainDump(scratch);
    assertTrue(source.contains("CREATE VIEW public.farm_totals"), "fixture has a view");
    assertEquals(source, restored);

    // And the listing, read from the manifests in the bucket, shows it.
    RealStack.Run list = stack.cli("backups", "list", "--json", "--config", config.toString());
    assertEquals(0, list.exit(), list.err());
    var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.out());
    assertTrue(listed.findValuesAsText("backupId").contains(m.backupId()), list.out());
  }

  @Test
  void secondBackupExpiresNothingYoungAndBothAreListedNewestFirst() throws Exception {
    String db = stack.createDatabase("twice", 2_000);
    Path config = stack.config("twice", root -> RealStack.addDatabase(root, db));
    assertEquals(0, stack.cli("backup", "db", db, "--wait", "--config", config.toString()).exit());
    assertEquals(0, stack.cli("backup", "db", db, "--wait", "--config", config.toString()).exit());
    RealStack.Run list = stack.cli("backups", "list", "--database", db, "--json", "--config",
        config.toString());
    assertEquals(0, list.exit(), list.err());
    List<String> ids = new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.out())
        .findValuesAsText("backupId");
    assertEquals(2, ids.size(), list.out());
    assertTrue(ids.get(0).compareTo(ids.get(1)) > 0, "newest first: " + ids);
  }
}
