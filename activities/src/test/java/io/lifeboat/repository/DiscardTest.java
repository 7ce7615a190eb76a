package io.lifeboat.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.StorageException;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.failure.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscardTest {
  static final String DIR = "p/db/app/full/20261210T120000Z.123-abcdefgh/";

  final MemoryStore store = new MemoryStore();

  @TempDir Path local;

  RepositoryConfig repo() {
    return new RepositoryConfig("http://127.0.0.1:9", "b", "p", null, true, "A", "S", null, null,
        local.toString(), null, null);
  }

  void put(String key) {
    store.put(key, new byte[] {1}, "x");
  }

  Path localFile(String key) throws Exception {
    Path p = local.resolve(key);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
    return p;
  }

  @Test
  void aCommittedDirectoryIsNeverDiscarded() throws Exception {
    put(DIR + "dump.zst");
    put(DIR + "manifest.json");
    Path copy = localFile(DIR + "dump.zst");
    for (LocalCopy lc : List.of(LocalCopy.NONE, LocalCopy.eachFileThenDir(repo()),
        LocalCopy.wholeDir(repo()))) {
      assertFalse(Discard.leftovers(store, DIR, true, lc));
      assertFalse(Discard.leftovers(store, DIR, false, lc));
    }
    assertEquals(List.of(DIR + "dump.zst", DIR + "manifest.json"), store.list(DIR));
    assertTrue(Files.exists(copy));
    assertEquals(List.of(), store.deletes);
  }

  @Test
  void leftoversGoAndNeighboursStay() throws Exception {
    put(DIR + "dump.zst");
    put(DIR + "dump.zst.extra");
    String neighbour = "p/db/app/full/20261210T120000Z.123-abcdefgi/dump.zst";
    put(neighbour);
    put("p/db/app/full/20261210T120000Z.123-abcdefgh-x/dump.zst");
    Path copy = localFile(DIR + "dump.zst");
    Path partial = localFile(DIR + "dump.zst.partial");
    assertTrue(Discard.leftovers(store, DIR, true, LocalCopy.eachFileThenDir(repo())));
    assertEquals(List.of(), store.list(DIR));
    assertTrue(store.exists(neighbour));
    assertTrue(store.exists("p/db/app/full/20261210T120000Z.123-abcdefgh-x/dump.zst"));
    assertFalse(Files.exists(copy));
    assertFalse(Files.exists(partial));
    assertFalse(Files.exists(copy.getParent()));
    // Rerun: nothing left, nothing fails.
    assertTrue(Discard.leftovers(store, DIR, true, LocalCopy.eachFileThenDir(repo())));
  }

  @Test
  void oldShapeIdsToo() {
    String dir = "p/app/web/20261210T120000Z-1a2b3c4d/";
    put(dir + "app.tar.gz");
    assertTrue(Discard.leftovers(store, dir, false, LocalCopy.wholeDir(repo())));
    assertEquals(List.of(), store.list(dir));
  }

  @Test
  void eachFileKeepsTheDirectoryWholeDirRemovesItAll() throws Exception {
    put(DIR + "dump.zst");
    Path copy = localFile(DIR + "dump.zst");
    Path other = localFile(DIR + "other");
    Retention.deleteManifestFirst(store, DIR, store.list(DIR), LocalCopy.eachFile(repo()));
    assertFalse(Files.exists(copy));
    assertTrue(Files.exists(other));
    put(DIR + "dump.zst");
    Retention.deleteManifestFirst(store, DIR, store.list(DIR), LocalCopy.wholeDir(repo()));
    assertFalse(Files.exists(other.getParent()));
  }

  @Test
  void aFailedUploadListingIsLoggedOrFailsAsTheKindSays() {
    put(DIR + "dump.zst");
    store.refuseUploadListing = FailureKind.S3_UNAVAILABLE;
    assertThrows(StorageException.class,
        () -> Discard.leftovers(store, DIR, false, LocalCopy.NONE));
    assertTrue(store.exists(DIR + "dump.zst"));
    assertTrue(Discard.leftovers(store, DIR, true, LocalCopy.NONE));
    assertFalse(store.exists(DIR + "dump.zst"));
  }
}
