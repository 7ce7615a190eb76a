package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.FilesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rsync's retention rules (FilesKeep), borg's ls-style modes, the manifest's walk. */
class FilesKeepTest {
  private static final List<String> GENERATIONS = List.of(
      "20261101T020000Z.000-aaaaaaaa", "20261102T020000Z.000-bbbbbbbb",
      "20261102T140000Z.000-cccccccc", "20261109T020000Z.000-dddddddd",
      "20261201T020000Z.000-eeeeeeee", "20261201T030000Z.000-ffffffff");

  private static List<String> keep(Integer last, Integer daily, Integer weekly, Integer monthly) {
    return FilesKeep.keep(GENERATIONS, RsyncMirror::time,
        new FilesConfig.Keep(last, daily, weekly, monthly));
  }

  @Test
  void keepRules() {
    assertEquals(GENERATIONS, keep(null, null, null, null));
    assertEquals(GENERATIONS.subList(4, 6), keep(2, null, null, null));
    // The newest of each of the last 3 days: Dec 1 (03:00), Nov 9, Nov 2 (14:00).
    assertEquals(List.of(GENERATIONS.get(2), GENERATIONS.get(3), GENERATIONS.get(5)),
        keep(null, 3, null, null));
    // The newest of December and of November.
    assertEquals(List.of(GENERATIONS.get(3), GENERATIONS.get(5)), keep(null, null, null, 2));
    // ISO weeks: Nov 1 is a Sunday (week 44), Nov 2 a Monday (45), Nov 9 (46), Dec 1 (49).
    assertEquals(List.of(GENERATIONS.get(0), GENERATIONS.get(2), GENERATIONS.get(3),
        GENERATIONS.get(5)), keep(null, null, 4, null));
    // Rules add up: the last one plus the newest of November.
    assertEquals(List.of(GENERATIONS.get(3), GENERATIONS.get(5)), keep(1, null, null, 2));
  }

  @Test
  void borgModes() {
    assertEquals(0755, FilesRestore.modeBits("drwxr-xr-x"));
    assertEquals(0750, FilesRestore.modeBits("-rwxr-x---"));
    assertEquals(0600, FilesRestore.modeBits("-rw-------"));
    assertEquals(0710, FilesRestore.modeBits("drwx--x---"));
    assertEquals(0777, FilesRestore.modeBits("lrwxrwxrwx"));
  }

  @Test
  void theManifestRecordsTypesModesLinksAndDigests(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("a/empty"));
    Files.writeString(dir.resolve("a/x.txt"), "x\n");
    Files.setPosixFilePermissions(dir.resolve("a/x.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(dir.resolve("a/l"), Path.of("x.txt"));
    var nodes = MirrorTree.walk(dir, null);
    assertEquals(List.of("/a", "/a/empty", "/a/l", "/a/x.txt"),
        nodes.stream().map(n -> n.path("path").asText()).toList());
    assertEquals("symlink", nodes.get(2).path("type").asText());
    assertEquals("x.txt", nodes.get(2).path("linktarget").asText());
    assertEquals(0600, nodes.get(3).path("mode").asInt());
    assertEquals("2b50e57e3ae7c0f9db75b8ae1d7ac5dbd22929dc0da8c2d27f8cebb69a2d9d8c".length(),
        nodes.get(3).path("sha256").asText().length());
    assertEquals(MirrorTree.sha256(dir.resolve("a/x.txt")), nodes.get(3).path("sha256").asText());
  }
}
