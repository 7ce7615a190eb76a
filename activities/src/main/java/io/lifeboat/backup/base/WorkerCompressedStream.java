package io.lifeboat.backup.base;

import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Format 1: pg_basebackup sends the plain tar (-X none: the WAL comes from our archive) and
 * the worker splits it two ways at once: compressed (and sealed) into the repository, and
 * unpacked by tar into the scratch directory for {@link BaseBackupVerification}. The upload is
 * completed only once the verification passed, so a backup that fails it is never a finished
 * object.
 */
final class WorkerCompressedStream {
  private static final Logger log = LoggerFactory.getLogger(WorkerCompressedStream.class);
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final PgTools pg;
  private final BaseBackupVerification verification;

  WorkerCompressedStream(StoreFactory stores, PgTools pg, BaseBackupVerification verification) {
    this.stores = stores;
    this.pg = pg;
    this.verification = verification;
  }

  BaseStreamResult run(BaseStreamRequest req, ObjectStore store,
      ActivityExecutionContext ctx, Path scratch) throws IOException, InterruptedException {
    DatabaseConfig db = req.database();
    RepositoryConfig repo = req.repository();
    String version = pg.version("pg_basebackup");
    long started = System.currentTimeMillis();
    List<String> argv = new ArrayList<>();
    argv.add(pg.tool("pg_basebackup"));
    argv.addAll(pg.connection(db, null));
    // -X none: the WAL comes from our archive (BASE_BACKUP waits until it is archived), which
    // the verification below then proves; tar to stdout carries backup_manifest inside.
    argv.addAll(List.of("-D", "-", "-Ft", "-X", "none", "--checkpoint=fast",
        "--manifest-checksums=CRC32C", "-l", req.label()));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(pg.environment(db));
    Process bb = pb.start();
    StderrTail bbErr = new StderrTail(bb.getErrorStream(), "pg_basebackup");
    Process tar = new ProcessBuilder("tar", "-x", "-f", "-", "-C", scratch.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    StderrTail tarErr = new StderrTail(tar.getErrorStream(), "tar");

    String key = req.objectKey();
    BaseUpload upload = new BaseUpload(store, repo, key, ctx);
    AtomicLong raw = upload.raw;
    PartUploader sink = upload.sink;
    Runnable beat = upload.beat();
    int level = req.wal().baseCompressionLevel();
    var tail = HelperThreads.daemons(1, "base-upload-tail-" + req.backupId());
    java.util.concurrent.Future<List<String>> uploaded = null;
    try {
      // Compress, then encrypt when the repository has a key (the uploader sees the stored form).
      ZstdOutputStream zstd = new ZstdOutputStream(stores.cipher(repo).seal(sink, key));
      zstd.setLevel(level);
      zstd.setWorkers(req.compression().workers());
      zstd.setChecksum(true);
      byte[] buf = new byte[CHUNK];
      long lastRead = System.currentTimeMillis();
      long firstByte = 0;
      long longestWait = 0;
      long longestWaitAt = 0;
      try (InputStream in = bb.getInputStream(); OutputStream toTar = tar.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          long now = System.currentTimeMillis();
          if (firstByte == 0) firstByte = now;
          if (now - lastRead > longestWait) {
            longestWait = now - lastRead;
            longestWaitAt = raw.get();
          }
          lastRead = now;
          toTar.write(buf, 0, n);
          // The one place the compressed stream goes to the uploader (sink).
          zstd.write(buf, 0, n);
          raw.addAndGet(n);
          beat.run();
        }
      }
      long eof = System.currentTimeMillis();
      // Where the stream stalls: the checkpoint (before the first byte) or the archiving of the
      // backup's last WAL segment (before backup_manifest, the last bytes).
      log.info("base backup {}: first byte after {} ms; longest stall {} ms at byte {} of {}",
          req.backupId(), firstByte - started, longestWait, longestWaitAt, raw.get());
      int exit = bb.waitFor();
      if (exit != 0) throw PgFailures.fromTool("pg_basebackup", db, exit, bbErr.text());
      if (tar.waitFor() != 0) {
        throw FailureKind.LOCAL_IO.failure("unpacking the base backup into " + scratch
            + " failed: " + PgFailures.lastMeaningfulLine(tarErr.text()));
      }
      long untarred = System.currentTimeMillis();
      // The compressor's last frames and the last parts go up while pg_verifybackup reads the
      // unpacked copy: the two no longer wait for each other. The upload is completed only
      // once both are done, so a backup that fails verification is never a finished object.
      uploaded = tail.submit(() -> {
        zstd.close();
        return sink.finish();
      });
      BaseUpload.Verified done = upload.completeAfter(
          () -> verification.verify(req, store, scratch, beat, true, null), uploaded);
      BaseBackupVerification.Facts f = done.facts();
      long verified = done.verifiedAt();
      long finished = done.uploadedAt();
      log.info("base backup {}: stream {} ms (pg_basebackup to EOF), tar +{} ms, verification"
          + " +{} ms, upload tail done {} ms after the verification", req.backupId(),
          eof - started, untarred - eof, verified - untarred, Math.max(0, finished - verified));
      String compression = "zstd level " + level + ", " + req.compression().workers()
          + " workers";
      return new BaseStreamResult(key, raw.get(), sink.storedBytes(), sink.sha256Hex(), compression,
          started, untarred, f.startLsn(), f.stopLsn(), f.timeline(), f.startSegment(),
          f.stopSegment(), f.segmentSize(), f.pgVersion(), f.systemId(), version, f.verification());
    } finally {
      if (!upload.completed()) {
        bb.destroyForcibly();
        tar.destroyForcibly();
        if (uploaded != null) uploaded.cancel(true);
        upload.abortUnlessCompleted();
      }
      tail.shutdownNow();
      bbErr.close();
      tarErr.close();
    }
  }
}
