package io.lifeboat.storage.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation of the repository keyset: generations, ids that stay, atomic replacement, reload. */
class KeyRotationTest {
  @TempDir Path dir;

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The id as the code before rotation computed it: over the whole (one-key) keyset. */
  private static String legacyId(String json) throws Exception {
    byte[] keyset = TinkProtoKeysetFormat.serializeKeyset(
        TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()),
        InsecureSecretKeyAccess.get());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update("lifeboat repository keyset\0".getBytes(StandardCharsets.US_ASCII));
    return "lbk-" + HexFormat.of().formatHex(sha.digest(keyset), 0, 8);
  }

  @Test
  void rotateTwiceThenReadAllThreeGenerations() throws Exception {
    Path f = dir.resolve("repository.json");
    String id1 = RepositoryCipher.generate(f);
    String gen1 = Files.readString(f);
    assertEquals(legacyId(gen1), id1, "ids already in manifests keep naming the same key");
    byte[] a = RepositoryCipher.fromJson(gen1, "gen1").seal(text("backup A"), "p/a");

    String gen2 = RepositoryCipher.rotate(gen1, "gen1");
    RepositoryCipher c2 = RepositoryCipher.fromJson(gen2, "gen2");
    String id2 = c2.keyId();
    assertNotEquals(id1, id2);
    assertEquals(List.of(id2, id1), c2.keyIds(), "primary first, the old key still there");
    byte[] b = c2.seal(text("backup B"), "p/b");
    assertEquals(Optional.of(id2), RepositoryCipher.writtenWith(new java.io.ByteArrayInputStream(b)));

    String gen3 = RepositoryCipher.rotate(gen2, "gen2");
    RepositoryCipher c3 = RepositoryCipher.fromJson(gen3, "gen3");
    String id3 = c3.keyId();
    assertEquals(3, c3.keyIds().size());
    assertEquals(id3, c3.keyIds().get(0));
    assertTrue(c3.keyIds().containsAll(List.of(id1, id2)), "an id names one key in any keyset");
    byte[] c = c3.seal(text("backup C"), "p/c");

    assertArrayEquals(text("backup A"), c3.open(a, "p/a", "A"));
    assertArrayEquals(text("backup B"), c3.open(b, "p/b", "B"));
    assertArrayEquals(text("backup C"), c3.open(c, "p/c", "C"));
    // The old keyset cannot read what the new primary wrote, and says which key it lacks.
    StorageException old = assertThrows(StorageException.class,
        () -> RepositoryCipher.fromJson(gen1, "gen1").open(c, "p/c", "backup C"));
    assertEquals(FailureKind.ENCRYPTION_KEY_MISSING, old.kind());
    assertTrue(old.getMessage().startsWith("backup C was encrypted with key " + id3
        + ", which is in no loaded keyset (gen1 holds " + id1 + ")"), old.getMessage());

    List<RepositoryCipher.KeyEntry> listed = RepositoryCipher.describe(gen3, "gen3");
    assertEquals(List.of(true, false, false),
        listed.stream().map(RepositoryCipher.KeyEntry::primary).toList());
  }

  @Test
  void aRetiredGenerationIsNamedWhenSomethingStillNeedsIt() throws Exception {
    Path f = dir.resolve("repository.json");
    String id1 = RepositoryCipher.generate(f);
    String gen1 = Files.readString(f);
    byte[] a = RepositoryCipher.fromJson(gen1, "gen1").seal(text("backup A"), "p/a");
    String gen2 = RepositoryCipher.rotate(gen1, "gen1");
    String id2 = RepositoryCipher.fromJson(gen2, "gen2").keyId();

    assertThrows(IllegalArgumentException.class,
        () -> RepositoryCipher.without(gen2, id2, "gen2"), "the primary cannot be dropped");
    assertThrows(IllegalArgumentException.class,
        () -> RepositoryCipher.without(gen2, "lbk-0000000000000000", "gen2"));
    String dropped = RepositoryCipher.without(gen2, id1, "gen2");
    RepositoryCipher c = RepositoryCipher.fromJson(dropped, "keyset file k.json");
    assertEquals(List.of(id2), c.keyIds());
    StorageException e = assertThrows(StorageException.class,
        () -> c.open(a, "p/a", "backup A of farmtally"));
    assertEquals(FailureKind.ENCRYPTION_KEY_MISSING, e.kind());
    assertEquals(1, e.getMessage().lines().count());
    assertTrue(e.getMessage().contains("was encrypted with key " + id1 + ", which is in no"
        + " loaded keyset (keyset file k.json holds " + id2 + ")"), e.getMessage());
  }

  @Test
  void replacementIsAtomicKeepsModeAndGroupAndTheOldFile() throws Exception {
    Path f = dir.resolve("repository.json");
    RepositoryCipher.generate(f);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    // The shared stack's repository key belongs to group postgres (wal-push runs as that user);
    // where this test may set that group (as root), the replacement must keep it.
    try {
      Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class)
          .setGroup(f.getFileSystem().getUserPrincipalLookupService()
              .lookupPrincipalByGroupName("postgres"));
    } catch (java.io.IOException notHere) {
      // no such group, or not allowed: the test's own group must be kept all the same
    }
    String gen1 = Files.readString(f);
    var groupBefore = Files.readAttributes(f,
        java.nio.file.attribute.PosixFileAttributes.class).group();
    Object inodeBefore = Files.readAttributes(f,
        java.nio.file.attribute.BasicFileAttributes.class).fileKey();

    String gen2 = RepositoryCipher.rotate(gen1, "gen1");
    KeysetFiles.Replaced r = KeysetFiles.replace(f, gen2, Instant.parse("2026-11-22T05:00:00Z"));
    assertEquals(gen2, Files.readString(f));
    assertEquals(gen1, Files.readString(r.backup()), "the previous keyset is kept");
    assertEquals(dir.resolve("repository.json.bak-20261122T050000Z"), r.backup());
    for (Path p : List.of(f, r.backup())) {
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
      assertEquals(groupBefore, Files.readAttributes(p,
          java.nio.file.attribute.PosixFileAttributes.class).group());
    }
    assertNotEquals(inodeBefore, Files.readAttributes(f,
        java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
        "renamed into place, not rewritten where a reader could see half of it");
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("repository.json", "repository.json.bak-20261122T050000Z"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
    }
    // The same second again: a second backup, not an overwrite of the first.
    KeysetFiles.Replaced again = KeysetFiles.replace(f, RepositoryCipher.rotate(gen2, "g"),
        Instant.parse("2026-11-22T05:00:00Z"));
    assertNotEquals(r.backup(), again.backup());
    assertEquals(gen1, Files.readString(r.backup()));
  }

  @Test
  void aKeyFileBehindASymlinkIsReplacedWhereItIs() throws Exception {
    Path real = Files.createDirectories(dir.resolve("secrets")).resolve("repository.json");
    RepositoryCipher.generate(real);
    Path link = Files.createSymbolicLink(dir.resolve("repository.json"), real);
    String gen2 = RepositoryCipher.rotate(Files.readString(link), "l");
    KeysetFiles.Replaced r = KeysetFiles.replace(link, gen2, Instant.now());
    assertTrue(Files.isSymbolicLink(link), "the link still points at the secret");
    assertEquals(gen2, Files.readString(real));
    assertEquals(real.getParent(), r.backup().getParent());
  }

  @Test
  void aCipherFromAFileSealsWithANewPrimaryOnceTheFileIsReplaced() throws Exception {
    Path f = dir.resolve("repository.json");
    String id1 = RepositoryCipher.generate(f);
    RepositoryCipher running = RepositoryCipher.fromFile(f, "keyFile " + f);
    byte[] before = running.seal(text("seg 1"), "p/wal/1");
    assertEquals(id1, running.keyId());

    String gen2 = RepositoryCipher.rotate(Files.readString(f), "f");
    KeysetFiles.replace(f, gen2, Instant.now());
    String id2 = RepositoryCipher.fromJson(gen2, "x").keyId();
    assertEquals(id2, running.keyId(), "the running process picked up the new primary");
    byte[] after = running.seal(text("seg 2"), "p/wal/2");
    assertEquals(Optional.of(id2),
        RepositoryCipher.writtenWith(new java.io.ByteArrayInputStream(after)));
    assertArrayEquals(text("seg 1"), running.open(before, "p/wal/1", "1"));
    // A manifest committed after the rotation records the key that sealed its object.
    assertEquals(id2, running.info().keyId());
    assertEquals(id1, RepositoryCipher.infoOf(new java.io.ByteArrayInputStream(before)).keyId());
    assertEquals(null, RepositoryCipher.infoOf(new java.io.ByteArrayInputStream(text("plain"))));

    // A broken file does not stop it: it keeps the keys it has.
    Files.writeString(f, "{ half written");
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
    assertEquals(id2, running.keyId());
    assertArrayEquals(text("seg 2"), running.open(after, "p/wal/2", "2"));
    assertFalse(running.keyIds().isEmpty());
  }
}
