package io.lifeboat.storage.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.crypt.EncryptionInfo;
import io.lifeboat.failure.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryCipherTest {
  private static final long MIB = 1 << 20;
  @TempDir Path dir;

  private RepositoryCipher cipher(String name) throws Exception {
    Path f = dir.resolve(name + ".json");
    if (!Files.exists(f)) RepositoryCipher.generate(f);
    return RepositoryCipher.fromJson(Files.readString(f), f.toString());
  }

  @Test
  void roundTripOfAMultiMegabyteStreamHoldsAtMostASegmentOrTwo() throws Exception {
    RepositoryCipher c = cipher("k");
    long total = 24 * MIB + 12345;
    // Encrypt: after every write, what reached the destination lags what went in by a bounded
    // amount, so the cipher never holds the stream (a whole-object cipher would lag by all of it).
    CountingSink sink = new CountingSink();
    MessageDigest plainSha = MessageDigest.getInstance("SHA-256");
    long lagMax = 0;
    try (OutputStream out = c.seal(sink, "p/db/x/full/1/dump.pgc")) {
      Random r = new Random(7);
      byte[] buf = new byte[64 * 1024 + 3];
      long written = 0;
      while (written < total) {
        r.nextBytes(buf);
        int n = (int) Math.min(buf.length, total - written);
        out.write(buf, 0, n);
        plainSha.update(buf, 0, n);
        written += n;
        lagMax = Math.max(lagMax, written - sink.count);
      }
    }
    assertTrue(lagMax <= 2 * MIB, "encryption held back " + lagMax + " bytes");
    byte[] stored = sink.bytes.toByteArray();
    assertTrue(stored.length > total, "ciphertext carries a header and per-segment tags");

    // Decrypt: reading N plaintext bytes pulls no more than N plus a segment or two of input.
    CountingSource src = new CountingSource(stored);
    MessageDigest back = MessageDigest.getInstance("SHA-256");
    long read = 0;
    long aheadMax = 0;
    try (InputStream in = c.open(src, "p/db/x/full/1/dump.pgc", "backup 1")) {
      byte[] buf = new byte[50_000];
      int n;
      while ((n = in.read(buf)) > 0) {
        back.update(buf, 0, n);
        read += n;
        aheadMax = Math.max(aheadMax, src.position() - read);
      }
    }
    assertEquals(total, read);
    assertArrayEquals(plainSha.digest(), back.digest());
    assertTrue(aheadMax <= 2 * MIB + 4096, "decryption read ahead " + aheadMax + " bytes");
  }

  @Test
  void anotherKeyIsRefusedByNameBeforeDecrypting() throws Exception {
    RepositoryCipher k1 = cipher("k1");
    RepositoryCipher k2 = cipher("k2");
    assertNotEquals(k1.keyId(), k2.keyId());
    byte[] stored = k1.seal("row: planted".getBytes(StandardCharsets.UTF_8), "a/b");
    StorageException e = assertThrows(StorageException.class,
        () -> k2.open(stored, "a/b", "backup 20261122T010000Z of farmtally"));
    assertEquals(FailureKind.ENCRYPTION_KEY_MISSING, e.kind());
    assertEquals("backup 20261122T010000Z of farmtally was encrypted with key " + k1.keyId()
        + ", which is in no loaded keyset (" + dir.resolve("k2.json") + " holds " + k2.keyId()
        + "): restore that key's generation into the keyset (a keys rotate leaves the previous"
        + " file as *.bak-TIME) or point repository.encryption at a keyset that holds it",
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    StorageException viaManifest = assertThrows(StorageException.class,
        () -> k2.requireReadable(k1.info(), "backup X"));
    assertEquals(FailureKind.ENCRYPTION_KEY_MISSING, viaManifest.kind());
    k1.requireReadable(k1.info(), "backup X");
    k2.requireReadable(null, "an old plaintext backup");
  }

  @Test
  void anEncryptedObjectWithoutAConfiguredKeyIsRefused() throws Exception {
    RepositoryCipher k1 = cipher("k1");
    byte[] stored = k1.seal(new byte[100], "a/b");
    StorageException e = assertThrows(StorageException.class,
        () -> RepositoryCipher.none().open(stored, "a/b", "WAL segment 0001"));
    assertEquals(FailureKind.ENCRYPTION_KEY_MISSING, e.kind());
    assertTrue(e.getMessage().startsWith("WAL segment 0001 was encrypted with key " + k1.keyId()
        + "; no repository key is configured"), e.getMessage());
    assertThrows(StorageException.class,
        () -> RepositoryCipher.none().requireReadable(k1.info(), "backup X"));
  }

  @Test
  void anObjectMovedToAnotherKeyFailsAuthentication() throws Exception {
    RepositoryCipher c = cipher("k");
    byte[] stored = c.seal(new byte[3 * 1024 * 1024], "p/wal/db/000000010000000000000001");
    assertThrows(IOException.class,
        () -> c.open(stored, "p/wal/db/000000010000000000000002", "segment 2"));
    assertEquals(3 * 1024 * 1024,
        c.open(stored, "p/wal/db/000000010000000000000001", "segment 1").length);
  }

  @Test
  void aFlippedCiphertextByteAnywhereIsRefused() throws Exception {
    RepositoryCipher c = cipher("k");
    byte[] plain = new byte[(int) (2 * MIB + 777)];
    new Random(3).nextBytes(plain);
    byte[] stored = c.seal(plain, "k1");
    // In the Tink header, in the first segment, in the last segment (its tag), and in our key id
    // (which is bound in as associated data).
    int idAt = RepositoryCipher.MAGIC.length + 3;
    for (int at : new int[] {idAt, 40, 100, (int) MIB, stored.length - 1}) {
      byte[] bad = stored.clone();
      bad[at] ^= 0x01;
      Exception e = assertThrows(Exception.class, () -> c.open(bad, "k1", "x"),
          "flip at " + at);
      assertTrue(e instanceof IOException || e instanceof StorageException, e.toString());
    }
    // A truncated object (lost last segment) is refused too.
    byte[] cut = java.util.Arrays.copyOf(stored, stored.length - 1000);
    assertThrows(IOException.class, () -> c.open(cut, "k1", "x"));
  }

  @Test
  void plaintextFromBeforeEncryptionReadsAsItIs() throws Exception {
    RepositoryCipher c = cipher("k");
    byte[] zstdish = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3};
    assertArrayEquals(zstdish, c.open(zstdish, "old", "old"));
    assertArrayEquals(new byte[] {1}, c.open(new byte[] {1}, "tiny", "tiny"));
    assertArrayEquals(zstdish, RepositoryCipher.none().seal(zstdish, "x"));
    assertEquals(null, RepositoryCipher.none().info());
  }

  @Test
  void keyIdIsStableAndNotTheKey() throws Exception {
    Path f = dir.resolve("stable.json");
    String generated = RepositoryCipher.generate(f);
    String json = Files.readString(f);
    assertEquals(generated, RepositoryCipher.fromJson(json, "a").keyId());
    assertEquals(generated, RepositoryCipher.fromJson(json, "b").keyId());
    assertTrue(generated.matches("lbk-[0-9a-f]{16}"), generated);
    assertEquals(new EncryptionInfo(RepositoryCipher.SCHEME, generated),
        RepositoryCipher.fromJson(json, "a").info());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertThrows(java.nio.file.FileAlreadyExistsException.class,
        () -> RepositoryCipher.generate(f));
    StorageException bad = assertThrows(StorageException.class,
        () -> RepositoryCipher.fromJson("{\"not\":\"a keyset\"}", "file /x.json"));
    assertEquals(FailureKind.CONFIG_INVALID, bad.kind());
  }

  private static final class CountingSink extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long count;

    @Override
    public void write(int b) {
      bytes.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      count += len;
    }
  }

  private static final class CountingSource extends ByteArrayInputStream {
    CountingSource(byte[] b) {
      super(b);
    }

    long position() {
      return pos;
    }
  }
}
