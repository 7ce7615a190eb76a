package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed worker's scratch copy (in tmpfs: memory) must not outlive the next attempt. */
class ScratchLeftoversTest {
  @TempDir Path root;

  @Test
  void earlierAttemptsOfThisBackupAndStaleCopiesGoOthersStay() throws Exception {
    Path sameBackup = dirWithFile("lifeboat-base-20261122T020000Z-123");
    Path otherRunning = dirWithFile("lifeboat-base-20261122T030000Z-456");
    Path stale = dirWithFile("lifeboat-base-20261121T010000Z-789");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(13))));
    Path notOurs = dirWithFile("something-else");
    Files.setLastModifiedTime(notOurs, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

    ScratchSpace.removeLeftovers(root, "20261122T020000Z");

    assertFalse(Files.exists(sameBackup));
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(otherRunning.resolve("PG_VERSION")));
    assertTrue(Files.exists(notOurs));
  }

  private Path dirWithFile(String name) throws Exception {
    Path d = Files.createDirectories(root.resolve(name).resolve("base"));
    Files.writeString(d.getParent().resolve("PG_VERSION"), "15\n");
    return d.getParent();
  }
}
