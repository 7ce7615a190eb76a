package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.repository.RepositoryLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Encryption at rest on the real stack: a nightly dump and a WAL file are stored as ciphertext
 * (a row planted in the database cannot be found in the raw S3 object or in the local copy,
 * though it is there after decryption), restore with the key that wrote them, and are refused
 * in one line, with nothing touched, under another key or with no key.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class EncryptionAtRestEndToEndTest {
  private RealStack stack;
  private Path k1;
  private Path k2;
  private String id1;
  private String id2;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    k1 = stack.dir.resolve("keys/k1.json");
    k2 = stack.dir.resolve("keys/k2.json");
    RealStack.Run g1 = stack.cli("keys", "generate", "--repository", k1.toString());
    assertEquals(0, g1.exit(), g1.err());
    id1 = g1.out().replaceAll("(?s).*key id (lbk-[0-9a-f]{16}).*", "$1");
    id2 = RepositoryCipher.generate(k2);
    assertNotEquals(id1, id2);
    assertTrue(id1.startsWith("lbk-"), g1.out());
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private Path config(String name, String db, Path key) throws IOException {
    return stack.config(name, root -> {
      RealStack.addDatabase(root, db).putArray("validation").addObject().put("name", "planted")
          .put("sql", "select count(*) from tallies where note like 'LIFEBOAT-PLANTED-%'")
          .put("minimum", 1);
      var repo = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("repository");
      repo.remove("encryption");
      if (key != null) repo.putObject("encryption").put("keyFile", key.toString());
    });
  }

  @Test
  void dumpIsCiphertextRestoresWithItsKeyAndIsRefusedWithAnother() throws Exception {
    String db = stack.createDatabase("enc", 300);
    String marker = "LIFEBOAT-PLANTED-" + stack.tag + "-marker-row";
    stack.psql(db, "insert into tallies(farm_id, crop, quantity, note, recorded_at)"
        + " values (1, 'wheat', 1, '" + marker + "', now())");
    Path good = config("enc-k1", db, k1);
    Path wrong = config("enc-k2", db, k2);
    Path none = config("enc-none", db, null);
    stack.startWorker();

    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", good.toString());
    assertEquals(0, backup.exit(), backup.out() + backup.err());

    BackupManifest m = Manifests.newest(stack.store(), stack.prefix, db).orElseThrow();
    assertEquals(RepositoryCipher.SCHEME, m.encryption().scheme());
    assertEquals(id1, m.encryption().keyId());
    byte[] raw = stack.store().get(m.objectKey()).readAllBytes();
    assertEquals(m.storedBytes(), raw.length, "sha256 and size cover the stored ciphertext");
    assertEquals(m.sha256(), sha256(raw));
    assertFalse(contains(raw, marker), "the raw S3 object must not hold the planted row");
    assertThrows(IOException.class, () -> new ZstdInputStream(new ByteArrayInputStream(raw))
        .readAllBytes(), "the stored object is not a zstd stream");
    byte[] plain = decrypt(k1, raw, m.objectKey());
    assertTrue(contains(plain, marker), "positive control: the dump does hold the row");
    Path local = Path.of(m.localCopy());
    assertArrayEquals(raw, Files.readAllBytes(local), "the local copy is the same ciphertext");
    String manifestJson = new String(stack.store().get(RepositoryLayout.manifestKey(stack.prefix,
        db, m.backupId())).readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(manifestJson.contains("\"keyId\" : \"" + id1 + "\""), manifestJson);
    assertFalse(manifestJson.contains(Files.readString(k1).substring(20, 60)), "no key material");

    // Damage, then recover with another key: refused before a workflow starts, nothing touched.
    stack.psql(db, "delete from tallies where id % 2 = 0");
    String damaged = stack.psql(db, "select count(*) from tallies");
    RealStack.Run refused = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        wrong.toString());
    assertEquals(1, refused.exit(), refused.out() + refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("backup " + m.backupId() + " of " + db
        + " was encrypted with key " + id1 + ", which is in no loaded keyset"), refused.err());
    assertTrue(refused.err().contains("holds " + id2 + ")"), refused.err());
    assertTrue(refused.err().contains("point repository.encryption at a keyset that holds it"),
        refused.err());
    RealStack.Run noKey = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        none.toString());
    assertEquals(1, noKey.exit(), noKey.err());
    assertTrue(noKey.err().contains("was encrypted with key " + id1
        + "; no repository key is configured"), noKey.err());
    assertEquals(damaged, stack.psql(db, "select count(*) from tallies"), "nothing changed");
    assertEquals("", stack.psql("postgres", "select string_agg(datname, ',') from pg_database"
        + " where datname like '" + db + "_%'"), "no scratch or kept database was made");

    // Verification with another key fails in the worker, typed, with the same line.
    RealStack.Run verify = stack.cli("verify", "--database", db, "--wait", "--config",
        wrong.toString());
    assertNotEquals(0, verify.exit(), verify.out() + verify.err());
    assertTrue((verify.out() + verify.err()).contains("was encrypted with key " + id1),
        verify.out() + verify.err());

    // With the key that wrote it: restored, planted row and all.
    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        good.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("1", stack.psql(db, "select count(*) from tallies where note = '" + marker + "'"));
    assertEquals("301", stack.psql(db, "select count(*) from tallies"));
    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    if (!kept.isEmpty()) stack.psql("postgres", "drop database " + kept + " with (force)");
  }

  @Test
  void walFilesAreCiphertextAndWalFetchRefusesAnotherKey() throws Exception {
    String db = stack.emptyDatabase("encwal");
    Path good = config("wal-k1", db, k1);
    Path wrong = config("wal-k2", db, k2);
    Path none = config("wal-none", db, null);
    String marker = "LIFEBOAT-PLANTED-" + stack.tag + "-wal";
    byte[] content = (marker + " ").repeat(2000).getBytes(StandardCharsets.US_ASCII);
    Path seg = stack.dir.resolve("000000010000000000000003");
    Files.write(seg, content);
    String name = seg.getFileName().toString();

    RealStack.Run push = stack.cli("wal-push", "--config", good.toString(), "--database", db,
        seg.toString(), name);
    assertEquals(0, push.exit(), push.err());
    String key = RepositoryLayout.walKey(stack.prefix, db, name);
    byte[] raw = stack.store().get(key).readAllBytes();
    assertFalse(contains(raw, marker), "the archived WAL object is ciphertext");
    assertTrue(raw.length < content.length, "compressed before it was encrypted");

    Path back = stack.dir.resolve("fetched");
    RealStack.Run fetch = stack.cli("wal-fetch", "--config", good.toString(), "--database", db,
        name, back.toString());
    assertEquals(0, fetch.exit(), fetch.err());
    assertArrayEquals(content, Files.readAllBytes(back));

    for (Path cfg : List.of(wrong, none)) {
      Path dest = stack.dir.resolve("refused");
      RealStack.Run bad = stack.cli("wal-fetch", "--config", cfg.toString(), "--database", db,
          name, dest.toString());
      // restore_command: a segment the archive holds but this key cannot open must stop the
      // recovery (exit > 125), not end it as "not in the archive" (1).
      assertEquals(128, bad.exit(), bad.err());
      assertEquals(1, bad.err().strip().lines().count(), bad.err());
      assertTrue(bad.err().contains("WAL file " + name + " of " + db + " was encrypted with key "
          + id1), bad.err());
      assertFalse(Files.exists(dest), "nothing written");
    }
    // The same content again is still recognised as already archived under the new key.
    RealStack.Run again = stack.cli("wal-push", "--config", good.toString(), "--database", db,
        seg.toString(), name);
    assertEquals(0, again.exit(), again.err());
  }

  private static byte[] decrypt(Path key, byte[] raw, String objectKey) throws Exception {
    RepositoryCipher c = RepositoryCipher.fromJson(Files.readString(key), key.toString());
    try (InputStream in = new ZstdInputStream(c.open(new ByteArrayInputStream(raw), objectKey,
        objectKey))) {
      return in.readAllBytes();
    }
  }

  static boolean contains(byte[] hay, String needle) {
    return new String(hay, StandardCharsets.ISO_8859_1).contains(needle);
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }
}
