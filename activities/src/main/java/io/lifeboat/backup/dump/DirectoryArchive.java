package io.lifeboat.backup.dump;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A directory-format dump ({@code pg_dump -Fd}) as it is stored (issue 21): one tar stream of
 * the directory's flat files, toc.dat first, then compressed and encrypted like a custom-format
 * dump, in one object. One object, not one per table file: the manifest, its checksum, the
 * commit mark, retention, the offsite copy, the readiness sample and {@code repo get} all keep
 * working on one object per backup, and an aborted upload is one multipart upload to abort.
 * Reading it back checks the whole object's SHA-256 and size, every zstd frame and every tar
 * entry; unpacking accepts only flat names of the kind pg_dump writes.
 */
public final class DirectoryArchive {
  private static final int CHUNK = 1 << 20;
  /** What pg_dump -Fd writes: toc.dat, NNNN.dat (.gz/.lz4/.zst with compression), blob_NNN... */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.]{0,127}");
  public static final String TOC = "toc.dat";

  private DirectoryArchive() {}

  /** What was read back: the stored object's checksum and size, and the tar's content. */
  public record Read(String sha256, long storedBytes, long rawBytes, int files) {}

  /** Writes the directory's files as a tar into {@code out}; returns the bytes of the files. */
  public static long write(Path dir, OutputStream out, LongConsumer progress) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.filter(Files::isRegularFile).sorted((a, b) -> {
        boolean ta = a.getFileName().toString().equals(TOC);
        boolean tb = b.getFileName().toString().equals(TOC);
        return ta != tb ? (ta ? -1 : 1) : a.compareTo(b);
      }).toList());
    }
    if (files.isEmpty() || !files.get(0).getFileName().toString().equals(TOC)) {
      throw FailureKind.PG_TOOL_FAILED.failure("pg_dump wrote no " + TOC + " in " + dir);
    }
    TarArchiveOutputStream tar = new TarArchiveOutputStream(nonClosing(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    long total = 0;
    byte[] buf = new byte[CHUNK];
    for (Path f : files) {
      TarArchiveEntry e = new TarArchiveEntry(f.getFileName().toString());
      e.setSize(Files.size(f));
      e.setMode(0600);
      tar.putArchiveEntry(e);
      try (InputStream in = Files.newInputStream(f)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          tar.write(buf, 0, n);
          total += n;
          progress.accept(total);
        }
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.close();
    return total;
  }

  /**
   * Reads the stored object whole: SHA-256 and size of what is stored, then the cipher, zstd
   * and tar. Files go into {@code into} (null: none are kept; {@code tocOnly}: only toc.dat).
   */
  public static Read read(ObjectStore store, RepositoryCipher cipher, String objectKey,
      String what, Path into, boolean tocOnly, LongConsumer storedProgress) throws IOException {
    MessageDigest sha = sha256();
    long raw = 0;
    int files = 0;
    boolean sawToc = false;
    long stored;
    try (CountingInputStream counted = new CountingInputStream(store.get(objectKey));
         DigestInputStream digest = new DigestInputStream(
             new BufferedInputStream(counted, CHUNK), sha);
         ZstdInputStream unzstd = new ZstdInputStream(cipher.open(digest, objectKey, what))) {
      TarArchiveInputStream tar = new TarArchiveInputStream(unzstd);
      byte[] buf = new byte[CHUNK];
      TarArchiveEntry e;
      while ((e = tar.getNextTarEntry()) != null) {
        String name = e.getName();
        if (!e.isFile() || !NAME.matcher(name).matches()) {
          throw FailureKind.BACKUP_CORRUPT.failure(what + " (" + objectKey
              + ") holds an entry no pg_dump writes: '" + name + "'");
        }
        if (files == 0 && !TOC.equals(name)) {
          throw FailureKind.BACKUP_CORRUPT.failure(what + " (" + objectKey + ") does not start"
              + " with " + TOC);
        }
        sawToc |= TOC.equals(name);
        files++;
        OutputStream to = into == null || tocOnly && !TOC.equals(name)
            ? OutputStream.nullOutputStream() : Files.newOutputStream(into.resolve(name));
        try (to) {
          int n;
          while ((n = tar.read(buf)) > 0) {
            to.write(buf, 0, n);
            raw += n;
            storedProgress.accept(counted.count());
          }
        }
      }
      byte[] rest = new byte[CHUNK];
      while (unzstd.read(rest) > 0) {
        // the tar's trailing blocks: every zstd frame is still checked
      }
      while (digest.read(rest) > 0) {
        // bytes after the last zstd frame still belong to the object
      }
      stored = counted.count();
    } catch (ZstdIOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + objectKey
          + " is corrupt: zstd says " + e.getMessage());
    } catch (RepositoryCipher.CorruptObjectException e) {
      throw FailureKind.BACKUP_CORRUPT.failure(e.getMessage());
    }
    if (!sawToc) {
      throw FailureKind.BACKUP_CORRUPT.failure(what + " (" + objectKey + ") holds no " + TOC);
    }
    return new Read(HexFormat.of().formatHex(sha.digest()), stored, raw, files);
  }

  /** The same object checked against what its manifest (or the dump step) recorded. */
  public static void requireMatches(Read read, String objectKey, String expectedSha256,
      long expectedBytes) {
    if (read.storedBytes() != expectedBytes) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + objectKey + " has "
          + read.storedBytes() + " bytes, expected " + expectedBytes);
    }
    if (!read.sha256().equals(expectedSha256)) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + objectKey
          + " does not match its checksum: sha256 " + read.sha256() + ", expected "
          + expectedSha256);
    }
  }

  /** A scratch directory for one backup's dump, emptied first (a retry starts clean). */
  public static Path scratch(String purpose, String database, String backupId) throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-" + purpose,
        database + "-" + backupId);
    deleteTree(dir);
    Files.createDirectories(dir);
    return dir;
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public static long sizeOf(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
