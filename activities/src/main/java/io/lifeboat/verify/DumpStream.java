package io.lifeboat.verify;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.DirectoryArchive;
import io.lifeboat.backup.dump.DirectoryRestore;
import io.lifeboat.failure.FailureKind;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A stored dump streamed from the repository into a pg_restore process, in constant memory:
 * object → SHA-256 and byte count → zstd (frame checksums) → pg_restore's stdin. Whatever
 * pg_restore does with it, every stored byte is read, so the checksum always covers the whole
 * object.
 */
final class DumpStream {
  private static final int CHUNK = 1 << 20;

  private DumpStream() {}

  record Checked(String sha256, long bytes, long rawBytes, int tocEntries) {}

  /** Integrity: checksum and size against the manifest, zstd frames, pg_restore --list. */
  static Checked readAll(ObjectStore store, RepositoryCipher cipher, BackupManifest m,
      String pgRestore, Consumer<Long> heartbeat) throws IOException {
    if (m.directoryFormat()) return readDirectory(store, cipher, m, pgRestore, heartbeat);
    Process p = new ProcessBuilder(pgRestore, "--list").start();
    ByteArrayOutputStream listing = new ByteArrayOutputStream();
    Thread reader = drain(p.getInputStream(), listing, "pg_restore-list");
    try (StderrTail stderr = new StderrTail(p.getErrorStream(), "pg_restore")) {
      long[] counts = pump(store, cipher, m, p, heartbeat);
      int exit = waitFor(p);
      join(reader);
      if (exit != 0) {
        throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list rejects " + m.objectKey()
            + ": " + PgFailures.lastMeaningfulLine(stderr.text()));
      }
      int entries = (int) listing.toString().lines()
          .filter(l -> !l.isBlank() && !l.startsWith(";")).count();
      if (entries == 0) {
        throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list finds nothing in "
            + m.objectKey());
      }
      return new Checked(m.sha256(), counts[0], counts[1], entries);
    }
  }

  /** A directory-format dump (issue 21): unpacked whole, pg_restore --list on its toc.dat. */
  private static Checked readDirectory(ObjectStore store, RepositoryCipher cipher,
      BackupManifest m, String pgRestore, Consumer<Long> heartbeat) throws IOException {
    cipher.requireReadable(m.encryption(), "backup " + m.backupId() + " of " + m.database());
    // Per thread: a drill and the daily verification may read the same backup at once.
    java.nio.file.Path dir = DirectoryArchive.scratch("verify", m.database(), m.backupId() + "-"
        + Thread.currentThread().getId());
    try {
      DirectoryArchive.Read read = DirectoryArchive.read(store, cipher, m.objectKey(),
          "backup " + m.backupId() + " of " + m.database(), dir, true, heartbeat::accept);
      DirectoryArchive.requireMatches(read, m.objectKey(), m.sha256(), m.storedBytes());
      Process p = new ProcessBuilder(pgRestore, "--list", "--format=directory", dir.toString())
          .start();
      ByteArrayOutputStream listing = new ByteArrayOutputStream();
      Thread reader = drain(p.getInputStream(), listing, "pg_restore-list");
      try (StderrTail stderr = new StderrTail(p.getErrorStream(), "pg_restore")) {
        int exit = waitFor(p);
        join(reader);
        int entries = (int) listing.toString().lines()
            .filter(l -> !l.isBlank() && !l.startsWith(";")).count();
        if (exit != 0 || entries == 0) {
          throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list rejects " + m.objectKey()
              + ": " + (exit != 0 ? PgFailures.lastMeaningfulLine(stderr.text()) : "no entries"));
        }
        return new Checked(read.sha256(), read.storedBytes(), read.rawBytes(), entries);
      }
    } finally {
      DirectoryArchive.deleteTree(dir);
    }
  }

  /**
   * Restores into {@code target} in one transaction; any error fails the whole restore. A
   * directory-format dump (issue 21) is restored with pg_restore -j N instead (not one
   * transaction: -j cannot be; the scratch database is dropped on any failure or retry).
   */
  static void restore(ObjectStore store, RepositoryCipher cipher, BackupManifest m, PgTools pg,
      DatabaseConfig db, String target, Consumer<Long> heartbeat) throws IOException {
    if (m.directoryFormat()) {
      DirectoryRestore.Outcome o = DirectoryRestore.restore(store, cipher, m, pg, db, target,
          List.of("--no-owner", "--no-privileges", "--exit-on-error"), heartbeat::accept);
      if (o.exit() != 0) failed(m, target, o.exit(), o.stderr());
      return;
    }
    List<String> argv = new ArrayList<>();
    argv.add(pg.tool("pg_restore"));
    argv.addAll(pg.connection(db, target));
    argv.addAll(List.of("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(pg.environment(db));
    Process p = pb.start();
    Thread reader = drain(p.getInputStream(), OutputStream.nullOutputStream(), "pg_restore-out");
    try (StderrTail stderr = new StderrTail(p.getErrorStream(), "pg_restore")) {
      pump(store, cipher, m, p, heartbeat);
      int exit = waitFor(p);
      join(reader);
      if (exit != 0) failed(m, target, exit, stderr.text());
    }
  }

  private static void failed(BackupManifest m, String target, int exit, String stderr) {
    String why = PgFailures.lastMeaningfulLine(stderr);
    FailureKind kind = PgFailures.kindOfToolError(stderr);
    // Connection trouble is the server's, not the dump's: let it be retried.
    if (kind == FailureKind.PG_TOOL_FAILED) kind = FailureKind.RESTORE_TEST_FAILED;
    throw kind.failure("pg_restore of " + m.backupId() + " into " + target + " failed (exit "
        + exit + "): " + why);
  }

  /**
   * Streams the object into the process's stdin; checks size and SHA-256 against the manifest
   * after the last byte. Returns {stored bytes, raw bytes}.
   */
  private static long[] pump(ObjectStore store, RepositoryCipher cipher, BackupManifest m,
      Process p, Consumer<Long> heartbeat) throws IOException {
    String what = "backup " + m.backupId() + " of " + m.database();
    try {
      cipher.requireReadable(m.encryption(), what);
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    MessageDigest sha = sha256();
    long raw = 0;
    long storedBytes = 0;
    try (CountingInputStream stored = new CountingInputStream(store.get(m.objectKey()));
         DigestInputStream digest = new DigestInputStream(
             new BufferedInputStream(stored, CHUNK), sha);
         ZstdInputStream unzstd = new ZstdInputStream(cipher.open(digest, m.objectKey(), what))) {
      OutputStream stdin = p.getOutputStream();
      boolean open = true;
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = unzstd.read(buf)) > 0) {
        raw += n;
        if (open) {
          try {
            stdin.write(buf, 0, n);
          } catch (IOException closedEarly) {
            // pg_restore stopped reading (--list needs only the header, or it failed):
            // keep reading so the checksum covers every stored byte.
            open = false;
          }
        }
        heartbeat.accept(stored.count());
      }
      closeQuietly(stdin);
      byte[] rest = new byte[CHUNK];
      while (digest.read(rest) > 0) {
        // bytes after the last zstd frame still belong to the object
      }
      storedBytes = stored.count();
    } catch (ZstdIOException e) {
      p.destroyForcibly();
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + m.objectKey()
          + " is corrupt: zstd says " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (storedBytes != m.storedBytes()) {
      p.destroyForcibly();
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + m.objectKey() + " has "
          + storedBytes + " bytes, the manifest says " + m.storedBytes());
    }
    if (!actual.equals(m.sha256())) {
      p.destroyForcibly();
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + m.objectKey()
          + " does not match its manifest: sha256 " + actual + ", expected " + m.sha256());
    }
    return new long[] {storedBytes, raw};
  }

  private static Thread drain(InputStream in, OutputStream to, String name) {
    Thread t = new Thread(() -> {
      try (in) {
        in.transferTo(to);
      } catch (IOException ignored) {
        // the process ended
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static int waitFor(Process p) throws IOException {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while waiting for pg_restore");
    }
  }

  private static void join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // already closed by the process
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
