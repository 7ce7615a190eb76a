package io.lifeboat.backup.dump;

import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StallWatchdog;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.temporal.activity.ActivityExecutionContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory-format full backup (issue 21, {@code databases[].dump.format: directory}):
 * {@code pg_dump -Fd -j N --compress=0} into a scratch directory on the worker, then the
 * directory as one tar ({@link DirectoryArchive}) through the same zstd, cipher and multipart
 * upload as a custom-format dump, into the same object key. Read back whole: checksum, size,
 * zstd frames, tar entries and {@code pg_restore --list} on its toc.dat. A failed attempt
 * aborts its upload and removes its directory; the next one starts clean.
 */
final class DirectoryDump {
  private static final Logger log = LoggerFactory.getLogger(DirectoryDump.class);

  private final PgTools pg;

  DirectoryDump(PgTools pg) {
    this.pg = pg;
  }

  DumpResult dump(DumpRequest req, ObjectStore store, RepositoryCipher cipher,
      ActivityExecutionContext ctx) throws IOException, InterruptedException {
    DatabaseConfig db = req.database();
    RepositoryConfig repo = req.repository();
    int jobs = db.dumpSettings().jobs();
    String version = pg.version("pg_dump");
    long started = System.currentTimeMillis();
    String key = req.objectKey();
    Path scratch = DirectoryArchive.scratch("dump", db.name(), req.backupId());
    Path dir = scratch.resolve("dump");
    try {
      runPgDump(db, dir, jobs, key, ctx);
      return upload(req, store, cipher, ctx, dir, version, started);
    } finally {
      DirectoryArchive.deleteTree(scratch);
    }
  }

  /** pg_dump -Fd -j N; heartbeats with the directory's size, killed when it stops growing. */
  private void runPgDump(DatabaseConfig db, Path dir, int jobs, String key,
      ActivityExecutionContext ctx) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(pg.tool("pg_dump"));
    argv.addAll(pg.connection(db, db.name()));
    argv.addAll(List.of("--format=directory", "--jobs=" + jobs, "--compress=0",
        "--file=" + dir));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(pg.environment(db));
    Process dump = pb.start();
    long limitNanos = StallWatchdog.limitFor(ctx.getInfo().getHeartbeatTimeout()).toNanos();
    try (StderrTail stderr = new StderrTail(dump.getErrorStream(), "pg_dump")) {
      long size = -1;
      long grewAt = System.nanoTime();
      while (!dump.waitFor(1, TimeUnit.SECONDS)) {
        long now = DirectoryArchive.sizeOf(dir);
        if (now != size) {
          size = now;
          grewAt = System.nanoTime();
        } else if (System.nanoTime() - grewAt > limitNanos) {
          dump.destroyForcibly();
          throw FailureKind.PG_UNAVAILABLE.failure("pg_dump -Fd of " + db.name() + " from "
              + db.address() + " stalled: its directory stayed at " + size + " bytes for "
              + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s (is the link to the database"
              + " host down?); pg_dump was killed and nothing committed");
        }
        ctx.heartbeat(new DumpProgress(key, null, size, 0, List.of()));
      }
      if (dump.exitValue() != 0) {
        throw PgFailures.fromTool("pg_dump", db, dump.exitValue(), stderr.text());
      }
    } finally {
      dump.destroyForcibly();
    }
  }

  private DumpResult upload(DumpRequest req, ObjectStore store, RepositoryCipher cipher,
      ActivityExecutionContext ctx, Path dir, String version, long started) throws IOException {
    RepositoryConfig repo = req.repository();
    String key = req.objectKey();
    String uploadId = store.startUpload(key);
    ctx.heartbeat(new DumpProgress(key, uploadId, 0, 0, List.of()));
    Path localFinal = repo.localCopyDir() == null ? null
        : Path.of(repo.localCopyDir()).resolve(key);
    Path localPartial = localFinal == null ? null
        : localFinal.resolveSibling(localFinal.getFileName() + ".partial");
    boolean completed = false;
    PartUploader sink = null;
    OutputStream local = null;
    try {
      if (localPartial != null) {
        Files.createDirectories(localPartial.getParent());
        local = new java.io.BufferedOutputStream(Files.newOutputStream(localPartial), 1 << 20);
      }
      long[] raw = {0};
      PartUploader[] self = new PartUploader[1];
      Runnable beat = () -> ctx.heartbeat(new DumpProgress(key, uploadId, raw[0],
          self[0].storedBytes(), self[0].partsDone()));
      sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
          repo.maxUploadMbPerSecond() * 1024L * 1024L, local, beat);
      self[0] = sink;
      ZstdOutputStream zstd = new ZstdOutputStream(cipher.seal(sink, key));
      zstd.setLevel(req.compression().level());
      zstd.setWorkers(req.compression().workers());
      zstd.setChecksum(true);
      int[] files = {0};
      try (var s = Files.list(dir)) {
        files[0] = (int) s.count();
      }
      DirectoryArchive.write(dir, zstd, n -> {
        raw[0] = n;
        beat.run();
      });
      zstd.close();
      store.completeUpload(key, uploadId, sink.finish());
      completed = true;
      if (local != null) {
        local.close();
        local = null;
        Files.move(localPartial, localFinal, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      String compression = "pg_dump -Fd -j " + req.database().dumpSettings().jobs() + ", " + files[0]
          + " files in one tar; zstd level " + req.compression().level() + ", "
          + req.compression().workers() + " workers";
      ctx.heartbeat(new DumpProgress(key, null, raw[0], sink.storedBytes(), sink.partsDone()));
      return new DumpResult(key, raw[0], sink.storedBytes(), sink.sha256Hex(), version,
          compression, localFinal == null ? null : localFinal.toString(), started,
          System.currentTimeMillis(), BackupManifest.DIRECTORY);
    } finally {
      if (!completed) {
        if (sink != null) sink.cancel();
        try {
          store.abortUpload(key, uploadId);
        } catch (RuntimeException e) {
          log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
        }
        if (local != null) local.close();
        if (localPartial != null) Files.deleteIfExists(localPartial);
      }
    }
  }

  /** Read-back: the whole object, then pg_restore --list on its toc.dat. */
  VerifyResult verify(VerifyRequest req, ObjectStore store, RepositoryCipher cipher,
      ActivityExecutionContext ctx) throws IOException, InterruptedException {
    String key = req.objectKey();
    Path scratch = DirectoryArchive.scratch("verify", "readback",
        Integer.toHexString(key.hashCode()) + "-" + ProcessHandle.current().pid());
    try {
      DirectoryArchive.Read read = DirectoryArchive.read(store, cipher, key, "stored dump " + key,
          scratch, true, n -> ctx.heartbeat(null));
      DirectoryArchive.requireMatches(read, key, req.expectedSha256(), req.expectedBytes());
      int entries = tocEntries(pg, scratch, key);
      return new VerifyResult(read.sha256(), read.storedBytes(), entries);
    } finally {
      DirectoryArchive.deleteTree(scratch);
    }
  }

  /** pg_restore --list of an unpacked directory (toc.dat is all it reads). */
  static int tocEntries(PgTools pg, Path dir, String key) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(pg.tool("pg_restore"), "--list", "--format=directory",
        dir.toString()).start();
    ByteArrayOutputStream listing = new ByteArrayOutputStream();
    try (StderrTail stderr = new StderrTail(p.getErrorStream(), "pg_restore")) {
      p.getInputStream().transferTo(listing);
      int exit = p.waitFor();
      if (exit != 0) {
        throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list rejects " + key + ": "
            + PgFailures.lastMeaningfulLine(stderr.text()));
      }
    }
    int entries = (int) listing.toString().lines()
        .filter(l -> !l.isBlank() && !l.startsWith(";")).count();
    if (entries == 0) {
      throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list finds nothing in " + key);
    }
    return entries;
  }
}
