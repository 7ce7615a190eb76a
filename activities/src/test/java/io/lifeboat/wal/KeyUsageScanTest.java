package io.lifeboat.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.storage.crypt.KeyUsage;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.repository.RepositoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `keys list` and `keys retire` count (here, beside the in-memory store the WAL tests use):
 * committed backups by the key their manifest records, WAL files by their header, plaintext
 * apart, uncommitted objects and other prefixes not at all.
 */
class KeyUsageScanTest {
  @TempDir Path dir;

  @Test
  void countsManifestsAndWalHeadersPerKey() throws Exception {
    Path f = dir.resolve("k.json");
    RepositoryCipher.generate(f);
    String gen1 = Files.readString(f);
    RepositoryCipher c1 = RepositoryCipher.fromJson(gen1, "gen1");
    RepositoryCipher c2 = RepositoryCipher.fromJson(RepositoryCipher.rotate(gen1, "g"), "gen2");
    MemoryStore store = new MemoryStore();
    String p = "pre";
    manifest(store, RepositoryLayout.manifestKey(p, "db", "20261122T010000Z"), c1.keyId());
    manifest(store, RepositoryLayout.manifestKey(p, "db", "20261122T020000Z"), c2.keyId());
    manifest(store, RepositoryLayout.baseManifestKey(p, "db", "20261122T030000Z"), c2.keyId());
    manifest(store, RepositoryLayout.manifestKey(p, "db", "20251122T010000Z"), null);
    // An upload without its manifest is not committed, so nothing needs a key for it.
    store.put(RepositoryLayout.dumpKey(p, "db", "20261122T040000Z"),
        c1.seal(new byte[10], "x"), "application/octet-stream");
    String w1 = RepositoryLayout.walKey(p, "db", "000000010000000000000001");
    String w2 = RepositoryLayout.walKey(p, "db", "000000010000000000000002");
    store.put(w1, c1.seal(new byte[10], w1), "application/octet-stream");
    store.put(w2, c2.seal(new byte[10], w2), "application/octet-stream");
    manifest(store, RepositoryLayout.manifestKey("other", "db", "20261122T010000Z"), "lbk-x");

    Map<String, KeyUsage.Use> noWal = KeyUsage.scan(store, p, false, "s3://b");
    assertEquals(1, noWal.get(c1.keyId()).backups());
    assertEquals(0, noWal.get(c1.keyId()).walFiles());
    assertEquals(2, noWal.get(c2.keyId()).backups());
    assertEquals(1, noWal.get(KeyUsage.PLAINTEXT).backups());
    assertEquals(3, noWal.size(), noWal.toString());

    Map<String, KeyUsage.Use> all = KeyUsage.scan(store, p, true, "s3://b");
    assertEquals(1, all.get(c1.keyId()).walFiles());
    assertEquals(1, all.get(c2.keyId()).walFiles());
    assertEquals("backup pre/db/db/full/20261122T010000Z in s3://b",
        all.get(c1.keyId()).example(), "a refusal names one of them");
    assertTrue(all.get(c2.keyId()).example().startsWith("backup pre/db/db/"), all.toString());
  }

  private static void manifest(MemoryStore store, String key, String keyId) {
    String enc = keyId == null ? "" : ", \"encryption\": {\"scheme\": \"s\", \"keyId\": \""
        + keyId + "\"}";
    store.put(key, ("{\"backupId\": \"x\"" + enc + "}").getBytes(StandardCharsets.UTF_8),
        "application/json");
  }
}
