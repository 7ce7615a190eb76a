package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill's restore activity against a real rsync mirror (no object store needed): the newest
 * generation restored into the scratch directory, compared by FilesRestore, the directory gone
 * afterwards, also when a flipped byte makes the comparison fail and when a restored directory
 * has no write bit; the clean-up removes a leftover; a scratch directory inside the source is
 * refused before anything is written.
 */
class FilesScratchRestoreTest {
  @TempDir Path tmp;

  private FilesConfig rsync(Path tree, Path restoreRoot) {
    return new FilesConfig("mirror", null, List.of(tree.toString()), List.of(), "rsync", null,
        null, 5, restoreRoot.toString(), null, tmp.resolve("repo").toString());
  }

  private Path tree() throws Exception {
    Path tree = tmp.resolve("uploads");
    Files.createDirectories(tree.resolve("photos"));
    Files.createDirectories(tree.resolve("frozen"));
    Files.writeString(tree.resolve("readme.txt"), "farm uploads\n");
    Files.write(tree.resolve("photos/cow.jpg"), new byte[50_000]);
    Files.writeString(tree.resolve("frozen/kept.txt"), "read-only directory\n");
    Files.createSymbolicLink(tree.resolve("latest.jpg"), Path.of("photos/cow.jpg"));
    // Restored without the owner's write bit: the removal must still get through it.
    Files.setPosixFilePermissions(tree.resolve("frozen"), PosixFilePermissions.fromString("r-xr-xr-x"));
    return tree;
  }

  @Test
  void theGenerationIsRestoredComparedAndTheScratchDirectoryRemovedEvenWhenItDiffers()
      throws Exception {
    Path tree = tree();
    Path restores = tmp.resolve("restores");
    FilesConfig f = rsync(tree, restores);
    RsyncMirror mirror = new RsyncMirror(f);
    mirror.init();
    String gen = "20261121T020000000Z-ab12";
    mirror.backup(gen, "test", () -> { });
    FilesActivitiesImpl impl = new FilesActivitiesImpl(null, new Secrets(Map.of()));
    FilesScratchRestore req = new FilesScratchRestore(f, null, gen, "Run-Key_1");
    Path scratch = restores.resolve("lifeboat-drill-files-mirror-runkey1");

    FilesRestoreCheck ok = impl.filesRestoreCompare(req);
    assertTrue(ok.ok(), ok.toString());
    assertNull(ok.failure());
    assertEquals(scratch.toString(), ok.directory());
    assertEquals(3, ok.files(), ok.toString());
    assertEquals(3, ok.directories(), ok.toString());
    assertEquals(1, ok.links(), ok.toString());
    assertTrue(ok.scratchRemoved() && !Files.exists(scratch), ok.toString());
    assertEquals(scratch + " already removed by the restore step", impl.filesRemoveScratch(req));

    // Bit rot in the generation: one difference, named; the scratch directory still removed.
    Path victim = tmp.resolve("repo/generations/" + gen + tree + "/photos/cow.jpg");
    byte[] b = Files.readAllBytes(victim);
    b[b.length / 2] ^= 0x01;
    Files.write(victim, b);
    FilesRestoreCheck bad = impl.filesRestoreCompare(req);
    assertFalse(bad.ok(), bad.toString());
    assertEquals(1, bad.differenceCount(), bad.toString());
    assertEquals(tree + "/photos/cow.jpg: content differs from the SHA-256 the manifest"
        + " recorded", bad.differences().get(0));
    assertTrue(bad.scratchRemoved() && !Files.exists(scratch), bad.toString());

    // A generation the manifest names but the mirror no longer holds: a finding, not a retry.
    FilesRestoreCheck gone = impl.filesRestoreCompare(new FilesScratchRestore(f, null,
        "20261120T020000000Z-0000", "Run-Key_1"));
    assertTrue(gone.failure().startsWith("no snapshot '20261120T020000000Z-0000'"),
        gone.toString());
    assertTrue(gone.scratchRemoved() && !Files.exists(scratch), gone.toString());

    // What a restore killed with its worker leaves: the clean-up removes it and says so.
    Files.createDirectories(scratch.resolve("srv/half"));
    Files.writeString(scratch.resolve("srv/half/part"), "x");
    Files.setPosixFilePermissions(scratch.resolve("srv/half"),
        PosixFilePermissions.fromString("r-x------"));
    assertEquals("removed " + scratch + " (left by an interrupted restore)",
        impl.filesRemoveScratch(req));
    assertFalse(Files.exists(scratch));
    assertTrue(Files.exists(tree.resolve("frozen/kept.txt")), "the source is only read");
  }

  @Test
  void aScratchDirectoryInsideTheSourceIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path tree = tree();
    FilesConfig f = rsync(tree, tree.resolve("restores"));
    FilesActivitiesImpl impl = new FilesActivitiesImpl(null, new Secrets(Map.of()));
    FilesScratchRestore req = new FilesScratchRestore(f, null, "g", "k");
    ApplicationFailure e = assertThrows(ApplicationFailure.class,
        () -> impl.filesRestoreCompare(req));
    assertEquals(FailureKind.CONFIG_INVALID.type(), e.getType());
    assertTrue(e.getOriginalMessage().contains("overlaps " + tree), e.getOriginalMessage());
    assertFalse(Files.exists(tree.resolve("restores")));
    assertTrue(impl.filesRemoveScratch(req).startsWith("nothing removed: files source mirror:"
        + " the drill's scratch directory " + tree.resolve("restores")), "never removes there");
    assertTrue(Files.exists(tree.resolve("readme.txt")));
  }
}
