package io.lifeboat.backup.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.SealedUpload;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.wal.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ship whose first attempt failed after storing some shared blobs: what its retry does with
 * them (the OpenSearch e2e's second backup once shipped everything again after that).
 */
class ShipRetryTest {
  static final String ID = "20261207T070000Z";
  static final List<String> BLOBS = List.of("indices/u1/0/__a", "indices/u1/0/__b",
      "indices/u1/1/__c", "indices/u2/0/__d");

  @TempDir Path repoDir;
  final MemoryStore store = new MemoryStore();
  final RepositoryCipher cipher = RepositoryCipher.none();
  final OpenSearchBackupActivitiesImpl activities = new OpenSearchBackupActivitiesImpl(null, null);
  RepositoryConfig repo;
  OpenSearchShipRequest req;

  @BeforeEach
  void fsRepository() throws Exception {
    Random random = new Random(7);
    for (String path : BLOBS) {
      byte[] b = new byte[10_000];
      random.nextBytes(b);
      Files.createDirectories(repoDir.resolve(path).getParent());
      Files.write(repoDir.resolve(path), b);
    }
    Files.writeString(repoDir.resolve("index-0"), "{\"snapshots\":[]}");
    repo = new RepositoryConfig("http://127.0.0.1:9", "b", "p", null, true, "A", "S", null, null,
        null, null, null);
    req = new OpenSearchShipRequest(new OpenSearchConfig("search", null, "http://127.0.0.1:9",
        null, null, null, repoDir.toString(), null, null), repo, CompressionConfig.DEFAULT, ID);
  }

  private Map<String, OpenSearchFiles.Entry> byPath(OpenSearchShipResult r) {
    return OpenSearchFiles.readList(store, cipher, r.fileListKey()).stream()
        .collect(Collectors.toMap(OpenSearchFiles.Entry::path, Function.identity()));
  }

  private String shared(String path) {
    return OpenSearchLayout.blobsRoot("p", "search") + path;
  }

  @Test
  void theRetryKeepsTheBlobsTheFailedAttemptStoredAndShipsTheRest() throws Exception {
    store.completionsLeft = 3; // index-0 (the walk sorts it first), __a, __b
    assertThrows(StorageException.class, () -> activities.ship(store, cipher, req, () -> { }));
    assertEquals(2, store.list(OpenSearchLayout.blobsRoot("p", "search")).size(),
        "the failed attempt stored two shared blobs");

    // A killed worker leaves its upload open, which only this key's next upload can tell
    // from one still running (the backup's own directory is cleaned up whole).
    store.startUpload(shared(BLOBS.get(3)));

    store.completionsLeft = -1;
    OpenSearchShipResult r = activities.ship(store, cipher, req, () -> { });

    assertEquals(BLOBS.size() + 1, r.files());
    assertEquals(BLOBS.size() + 1 - 2, r.uploaded(), "the two stored blobs are not shipped again");
    assertTrue(r.uploadedBytes() < r.storedBytes(), r.toString());
    assertEquals(List.of(), store.pendingUploads("p/"), "no upload left open");
    Map<String, OpenSearchFiles.Entry> listed = byPath(r);
    for (String path : BLOBS) {
      OpenSearchFiles.Entry e = listed.get(path);
      assertEquals(shared(path), e.key(), "under the shared root, where the next backup looks");
      assertEquals(OpenSearchFiles.sha256(repoDir.resolve(path)), e.sha256());
    }
    // What the list says of every object is what is stored: it fetches back and checks.
    Path back = repoDir.resolveSibling(repoDir.getFileName() + "-back");
    OpenSearchFiles.fetch(store, cipher, List.copyOf(listed.values()), back, () -> { });
    for (String path : BLOBS) {
      assertEquals(-1L, Files.mismatch(repoDir.resolve(path), back.resolve(path)), path);
    }
  }

  @Test
  void aStoredBlobWithOtherBytesIsLeftAloneAndTheFileGoesUnderTheBackup() throws Exception {
    String other = BLOBS.get(0);
    Path elsewhere = Files.writeString(repoDir.resolveSibling("other-bytes"), "not the node's");
    SealedUpload.file(store, cipher, repo, CompressionConfig.DEFAULT, shared(other), elsewhere,
        () -> { });
    byte[] before = store.get(shared(other)).readAllBytes();
    String garbled = BLOBS.get(1);
    store.put(shared(garbled), new byte[] {1, 2, 3}, "application/octet-stream");

    OpenSearchShipResult r = activities.ship(store, cipher, req, () -> { });

    Map<String, OpenSearchFiles.Entry> listed = byPath(r);
    String own = OpenSearchLayout.dir("p", "search", ID) + "blobs/";
    assertEquals(own + other, listed.get(other).key());
    assertEquals(own + garbled, listed.get(garbled).key(), "unreadable: not reused, no failure");
    assertEquals(shared(BLOBS.get(2)), listed.get(BLOBS.get(2)).key());
    assertEquals(-1, java.util.Arrays.mismatch(before, store.get(shared(other)).readAllBytes()),
        "a blob another backup may list is never rewritten");
    assertEquals(BLOBS.size() + 1, r.uploaded());
  }
}
