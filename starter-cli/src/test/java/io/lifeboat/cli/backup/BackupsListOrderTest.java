package io.lifeboat.cli.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.backup.dump.BackupManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `backups list` puts the newest dump first, whatever the shape of its start time. */
class BackupsListOrderTest {
  private static BackupManifest dump(String id, String startedAt) {
    return new BackupManifest(1, id, "db-full", "db", "h:5432", "15", startedAt, startedAt, 1, 1,
        "00", "zstd", "k/" + id, null, "STANDARD", "none", Map.of(), "", "w");
  }

  @Test
  void aDumpStartedOnTheWholeSecondIsOlderThanOneStartedLaterInThatSecond() {
    // Instant.toString() of 10:00:00.000 has no fraction; as text "Z" sorts after ".".
    BackupManifest onTheSecond = dump("20261122T100000Z.000-aaaaaaaa", "2026-11-22T10:00:00Z");
    BackupManifest later = dump("20261122T100000Z.450-bbbbbbbb", "2026-11-22T10:00:00.450Z");
    BackupManifest nextSecond = dump("20261122T100001Z.000-cccccccc", "2026-11-22T10:00:01Z");
    List<BackupManifest> found = new ArrayList<>(List.of(onTheSecond, nextSecond, later));
    found.sort(BackupsCommand.NEWEST_FIRST);
    assertEquals(List.of(nextSecond, later, onTheSecond), found);
  }

  @Test
  void theSameMillisecondIsOrderedByTheIdAndAnUnreadableTimeByTheId() {
    BackupManifest a = dump("20261122T100000Z.450-aaaaaaaa", "2026-11-22T10:00:00.450Z");
    BackupManifest b = dump("20261122T100000Z.450-bbbbbbbb", "2026-11-22T10:00:00.450Z");
    BackupManifest old = dump("20261121T020000Z", null);
    List<BackupManifest> found = new ArrayList<>(List.of(old, a, b));
    found.sort(BackupsCommand.NEWEST_FIRST);
    assertEquals(List.of(b, a, old), found);
  }
}
