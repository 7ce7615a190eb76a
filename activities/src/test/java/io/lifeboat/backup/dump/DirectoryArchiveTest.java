package io.lifeboat.backup.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.wal.MemoryStore;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored form of a directory-format dump: one tar, toc.dat first, read back whole. */
class DirectoryArchiveTest {
  @TempDir Path tmp;

  private final MemoryStore store = new MemoryStore();
  private final RepositoryCipher cipher = RepositoryCipher.none();

  private byte[] stored(Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream zstd = new ZstdOutputStream(out)) {
      zstd.setChecksum(true); // as the dump step writes it
      DirectoryArchive.write(dir, zstd, n -> { });
    }
    return out.toByteArray();
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void roundTripKeepsEveryFileTocFirstAndAFlippedByteFails() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dump"));
    Files.write(dir.resolve("3001.dat"), new byte[300_000]);
    Files.writeString(dir.resolve("toc.dat"), "PGDMP toc");
    Files.writeString(dir.resolve("2999.dat"), "rows");
    byte[] bytes = stored(dir);
    store.put("k", bytes, "application/octet-stream");

    Path into = Files.createDirectories(tmp.resolve("into"));
    DirectoryArchive.Read read = DirectoryArchive.read(store, cipher, "k", "test", into, false,
        n -> { });
    assertEquals(3, read.files());
    assertEquals(300_000 + 9 + 4, read.rawBytes());
    DirectoryArchive.requireMatches(read, "k", sha(bytes), bytes.length);
    assertArrayEquals(Files.readAllBytes(dir.resolve("3001.dat")),
        Files.readAllBytes(into.resolve("3001.dat")));
    assertEquals("PGDMP toc", Files.readString(into.resolve("toc.dat")));

    Path tocOnly = Files.createDirectories(tmp.resolve("toc"));
    DirectoryArchive.read(store, cipher, "k", "test", tocOnly, true, n -> { });
    assertTrue(Files.exists(tocOnly.resolve("toc.dat")));
    assertTrue(Files.notExists(tocOnly.resolve("3001.dat")));

    bytes[bytes.length / 2] ^= 0x01;
    store.put("k", bytes, "application/octet-stream");
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> DirectoryArchive.read(
        store, cipher, "k", "test", null, false, n -> { }));
    assertEquals(io.lifeboat.failure.FailureKind.BACKUP_CORRUPT.type(), f.getType(), f.getOriginalMessage());
  }

  @Test
  void anEntryNoPgDumpWritesIsRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream zstd = new ZstdOutputStream(out);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
      for (String name : new String[] {"toc.dat", "../evil"}) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(1);
        tar.putArchiveEntry(e);
        tar.write('x');
        tar.closeArchiveEntry();
      }
    }
    store.put("k", out.toByteArray(), "application/octet-stream");
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> DirectoryArchive.read(
        store, cipher, "k", "test", Files.createDirectories(tmp.resolve("x")), false, n -> { }));
    assertTrue(f.getOriginalMessage().contains("'../evil'"), f.getOriginalMessage());
    assertTrue(Files.notExists(tmp.resolve("evil")));
  }

  @Test
  void aDirectoryWithoutTocIsNotADump() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(dir.resolve("1.dat"), "x");
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> stored(dir));
    assertTrue(f.getOriginalMessage().contains("toc.dat"), f.getOriginalMessage());
  }
}
