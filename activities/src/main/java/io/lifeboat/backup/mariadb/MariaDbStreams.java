package io.lifeboat.backup.mariadb;

import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stored dump read back, and the binlog position read out of a dump's text. */
public final class MariaDbStreams {
  static final int CHUNK = 1 << 20;
  private static final Pattern CHANGE_MASTER = Pattern.compile(
      "-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\\d+);");
  private static final Pattern GTID = Pattern.compile("-- SET GLOBAL gtid_slave_pos='([^']*)';");

  private MariaDbStreams() {}

  /** What a read-back gave: SHA-256 and size of the stored bytes, size of the dump. */
  public record Download(String sha256, long storedBytes, long rawBytes) {}

  /** What a consumer of the plain dump does with each chunk (write it to mariadb's stdin). */
  public interface Sink {
    void write(byte[] buf, int n) throws IOException;
  }

  /**
   * Stored object to plain SQL: every stored byte digested, decrypted (the cipher refuses a
   * tampered object), zstd frames checked. A failing sink is LOCAL_IO-like: its own exception.
   */
  public static Download read(ObjectStore store, RepositoryCipher cipher, String key, Sink sink,
      Runnable beat) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long raw = 0;
    try (CountingInputStream counted = new CountingInputStream(store.get(key));
         DigestInputStream digest = new DigestInputStream(
             new BufferedInputStream(counted, CHUNK), sha);
         ZstdInputStream unzstd = new ZstdInputStream(cipher.open(digest, key,
             "stored dump " + key))) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = unzstd.read(buf)) > 0) {
        sink.write(buf, n);
        raw += n;
        beat.run();
      }
      while (digest.read(buf) > 0) {
        // trailing bytes still belong to the object
      }
      return new Download(HexFormat.of().formatHex(sha.digest()), counted.count(), raw);
    } catch (SinkFailed e) {
      throw e.failure;
    } catch (com.github.luben.zstd.ZstdIOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + key + " is corrupt: zstd says "
          + e.getMessage());
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + key + " cannot be read back: "
          + e.getMessage());
    }
  }

  /** A sink's own failure, carried through the read loop unchanged. */
  public static final class SinkFailed extends IOException {
    final RuntimeException failure;

    public SinkFailed(RuntimeException failure) {
      super(failure.getMessage());
      this.failure = failure;
    }
  }

  /** Reads and checks the stored object against the manifest's SHA-256 and size. */
  public static Download check(Download d, String key, String sha256, long bytes) {
    if (!d.sha256().equals(sha256)) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + key + " does not match its"
          + " checksum: sha256 " + d.sha256() + ", expected " + sha256);
    }
    if (d.storedBytes() != bytes) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + key + " has " + d.storedBytes()
          + " bytes, expected " + bytes);
    }
    return d;
  }

  /** Keeps the first 64 KiB and the last 4 KiB of what passes, for the position comments. */
  public static final class HeadTail extends OutputStream {
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[4096];
    private long total;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      int h = (int) Math.min(len, Math.max(0, 65536 - head.size()));
      head.write(b, off, h);
      for (int i = 0; i < len; i++) tail[(int) ((total + i) % tail.length)] = b[off + i];
      total += len;
    }

    public String head() {
      return head.toString(StandardCharsets.UTF_8);
    }

    public String tail() {
      int n = (int) Math.min(total, tail.length);
      byte[] t = new byte[n];
      for (int i = 0; i < n; i++) t[i] = tail[(int) ((total - n + i) % tail.length)];
      return new String(t, StandardCharsets.ISO_8859_1);
    }
  }

  /** The CHANGE MASTER comment of --master-data=2: file and position, or null. */
  public static String[] binlogPosition(String dumpHead) {
    Matcher m = CHANGE_MASTER.matcher(dumpHead);
    return m.find() ? new String[] {m.group(1), m.group(2)} : null;
  }

  /** The gtid_slave_pos comment at a dump's end, or null. */
  public static String gtid(String text) {
    Matcher m = GTID.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** Whether the dump ended normally ("-- Dump completed" is its last comment). */
  public static boolean completed(String tail) {
    return tail.contains("-- Dump completed");
  }
}
