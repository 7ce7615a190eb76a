package io.lifeboat.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.wal.MemoryStore;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A committed manifest is never overwritten; the same commit again is a harmless retry. */
class CommitMarkTest {
  private static final String KEY = "p/db/d/full/20261121T020000Z/manifest.json";
  private final MemoryStore store = new MemoryStore();
  private final byte[] mine = "{\"backupId\":\"20261121T020000Z\",\"sha256\":\"aa\"}"
      .getBytes(StandardCharsets.UTF_8);
  private final byte[] theirs = "{\"backupId\":\"20261121T020000Z\",\"sha256\":\"bb\"}"
      .getBytes(StandardCharsets.UTF_8);

  private byte[] stored() throws Exception {
    try (InputStream in = store.get(KEY)) {
      return in.readAllBytes();
    }
  }

  @Test
  void writesWhenNothingIsThere() throws Exception {
    assertFalse(CommitMark.alreadyCommitted(store, KEY, mine));
    CommitMark.write(store, KEY, mine);
    assertArrayEquals(mine, stored());
  }

  @Test
  void theSameCommitAgainIsARetryNotAConflict() throws Exception {
    CommitMark.write(store, KEY, mine);
    assertTrue(CommitMark.alreadyCommitted(store, KEY, mine));
    CommitMark.write(store, KEY, mine);
    assertArrayEquals(mine, stored());
  }

  @Test
  void anotherBackupsManifestIsRefusedAndLeftAsItIs() throws Exception {
    CommitMark.write(store, KEY, theirs);
    ApplicationFailure before = assertThrows(ApplicationFailure.class,
        () -> CommitMark.alreadyCommitted(store, KEY, mine));
    ApplicationFailure racing = assertThrows(ApplicationFailure.class,
        () -> CommitMark.write(store, KEY, mine));
    for (ApplicationFailure f : new ApplicationFailure[] {before, racing}) {
      assertEquals(FailureKind.BACKUP_ID_TAKEN.type(), f.getType());
      assertTrue(f.isNonRetryable());
      assertEquals("refusing to commit " + KEY + ": a different backup is already committed"
          + " there; it was not overwritten", f.getOriginalMessage());
      assertFalse(f.getOriginalMessage().contains("\n"));
    }
    assertArrayEquals(theirs, stored());
  }

  @Test
  void anUploadIntoACommittedBackupIsRefusedBeforeAnyByte() throws Exception {
    String dump = "p/db/d/full/20261121T020000Z/dump.pgc.zst";
    CommitMark.requireUncommitted(store, dump); // nothing there: fine
    CommitMark.write(store, KEY, theirs);
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> CommitMark.requireUncommitted(store, dump));
    assertEquals(FailureKind.BACKUP_ID_TAKEN.type(), f.getType());
    assertEquals("refusing to write " + dump + ": " + KEY + " is already committed there;"
        + " nothing was written", f.getOriginalMessage());
  }

  /** commitAfter: no data object, no commit; then written once, and a retry is a no-op. */
  @Test
  void commitAfterRefusesWithoutItsObjectAndIsARetryAfterward() throws Exception {
    String object = "p/db/d/full/20261121T020000Z/dump.pgc.zst";
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Map<String, String> manifest = java.util.Map.of("backupId", "20261121T020000Z");
    ApplicationFailure missing = assertThrows(ApplicationFailure.class,
        () -> CommitMark.commitAfter(store, KEY, manifest, json, object, "dump"));
    assertEquals(FailureKind.BACKUP_NOT_FOUND.type(), missing.getType());
    assertEquals("refusing to commit " + KEY + ": its dump is not in the repository",
        missing.getOriginalMessage());
    assertFalse(store.exists(KEY));
    store.putIfAbsent(object, new byte[] {1}, "application/octet-stream", java.util.Map.of());
    CommitMark.commitAfter(store, KEY, manifest, json, object, "dump");
    CommitMark.commitAfter(store, KEY, manifest, json, object, "dump");
    assertArrayEquals(json.writeValueAsBytes(manifest), stored());
  }
}
