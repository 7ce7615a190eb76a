package io.lifeboat.backup.base;

import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.process.Tools;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Format 2. The server compresses the base tar (zstd, the configured level and workers) and
 * streams the WAL of the backup's duration over a second connection, so it neither waits for
 * archiving at the end nor sends 2 GB over the socket, and the worker never touches the
 * uncompressed bytes on their way to storage. pg_basebackup writes base.tar.zst into the
 * scratch directory; two readers follow the file while it grows: one seals and uploads it
 * as it is, the other decompresses and unpacks it for pg_verifybackup, taking each file's
 * CRC32C on the way ({@link ChecksummingUnpacker}), so that pg_verifybackup need not read the
 * copy again after the stream. The upload is completed only after the verification passed,
 * as in format 1.
 */
final class ServerCompressedStream {
  private static final Logger log = LoggerFactory.getLogger(ServerCompressedStream.class);
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final PgTools pg;
  private final BaseBackupVerification verification;

  ServerCompressedStream(StoreFactory stores, PgTools pg, BaseBackupVerification verification) {
    this.stores = stores;
    this.pg = pg;
    this.verification = verification;
  }

  /**
   * Format 2 when the configuration asks for it (the default) and the server can compress
   * (PostgreSQL 15 or later); format 1 otherwise.
   */
  static boolean appliesTo(BaseStreamRequest req, PgTools pg) {
    if (!Boolean.TRUE.equals(req.wal().baseServerCompression())) return false;
    try (Connection c = ArchiveWait.connect(req.database(), pg);
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int,"
             + " current_setting('max_wal_senders')::int"
             + " - (select count(*) from pg_stat_replication)")) {
      rs.next();
      if (rs.getInt(1) < 150000) return false;
      // -X stream takes two WAL senders (the base tar and the WAL); with fewer free, format 1.
      if (rs.getInt(2) < 2) {
        log.warn("base backup {}: only {} free WAL sender(s) (max_wal_senders); the worker"
            + " compresses this one (format 1)", req.backupId(), rs.getInt(2));
        return false;
      }
      return true;
    } catch (SQLException e) {
      throw PgFailures.fromSql(req.database(), e);
    }
  }

  /** Streams, unpacks and verifies the backup; see the class comment. */
  BaseStreamResult run(BaseStreamRequest req, ObjectStore store,
      ActivityExecutionContext ctx, Path scratch) throws IOException, InterruptedException {
    DatabaseConfig db = req.database();
    RepositoryConfig repo = req.repository();
    String version = pg.version("pg_basebackup");
    long started = System.currentTimeMillis();
    Path out = scratch.resolve("stream");   // pg_basebackup makes it (it must not exist or be empty)
    Path data = Files.createDirectory(scratch.resolve("data"));
    int level = req.wal().baseCompressionLevel();
    int workers = req.compression().workers();
    List<String> argv = new ArrayList<>();
    argv.add(pg.tool("pg_basebackup"));
    argv.addAll(pg.connection(db, null));
    argv.addAll(List.of("-D", out.toString(), "-Ft", "-X", "stream",
        "--compress=server-zstd:level=" + level + (workers > 0 ? ",workers=" + workers : ""),
        // --no-sync: the scratch copy is read once and deleted; what must last goes to S3.
        "--no-sync", "--checkpoint=fast", "--manifest-checksums=CRC32C", "-l", req.label()));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(pg.environment(db));
    Process bb = pb.start();
    StderrTail bbErr = new StderrTail(bb.getErrorStream(), "pg_basebackup");
    java.util.function.BooleanSupplier bbDone = () -> !bb.isAlive();
    Path tarFile = out.resolve("base.tar.zst");

    String key = req.objectKey();
    BaseUpload upload = new BaseUpload(store, repo, key, ctx);
    java.util.concurrent.atomic.AtomicLong raw = upload.raw;
    PartUploader sink = upload.sink;
    Runnable beat = upload.beat();
    var readers = HelperThreads.daemons(3, "base-follow-" + req.backupId());
    java.util.concurrent.Future<List<String>> uploaded = null;
    try {
      // The server's zstd frames as they are, sealed when the repository has a key.
      uploaded = readers.submit(() -> {
        try (InputStream in = new GrowingFileInputStream(tarFile, bbDone)) {
          OutputStream sealed = stores.cipher(repo).seal(sink, key);
          in.transferTo(sealed);
          sealed.close();
          return sink.finish();
        }
      });
      // Unpacked for pg_verifybackup, each file's CRC32C taken on the way (see verify);
      // decompressed on one thread, unpacked on another.
      ChunkPipe pipe = new ChunkPipe(CHUNK, 8);
      java.util.concurrent.Future<?> decompressed = readers.submit(() -> {
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(
            new GrowingFileInputStream(tarFile, bbDone))) {
          pipe.pump(in);
        }
        return null;
      });
      java.util.concurrent.Future<Map<String, ChecksummingUnpacker.FileSum>> unpacked =
          readers.submit(() -> ChecksummingUnpacker.unpack(pipe.reader(), data, raw::set));
      while (!bb.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
        beat.run();
        // A reader ends before pg_basebackup only when it failed (S3, the unpack): stop now,
        // not after the whole stream.
        if (uploaded.isDone()) HelperThreads.await(uploaded, beat);
        if (unpacked.isDone()) HelperThreads.await(unpacked, beat);
        if (decompressed.isDone()) HelperThreads.await(decompressed, beat);
      }
      long eof = System.currentTimeMillis();
      int exit = bb.exitValue();
      if (exit != 0) throw PgFailures.fromTool("pg_basebackup", db, exit, bbErr.text());
      HelperThreads.await(decompressed, beat);
      Map<String, ChecksummingUnpacker.FileSum> sums = HelperThreads.await(unpacked, beat);
      long untarred = System.currentTimeMillis();
      // pg_verifybackup wants backup_manifest in the directory and the WAL in pg_wal.
      Path manifestFile = out.resolve("backup_manifest");
      if (!Files.exists(manifestFile)) {
        throw FailureKind.BASE_VERIFY_FAILED.failure("pg_basebackup wrote no backup_manifest");
      }
      Files.copy(manifestFile, data.resolve("backup_manifest"));
      Path walDir = Files.createDirectories(data.resolve("pg_wal"));
      Tools.Result walTar = Tools.run(List.of("tar", "-x", "-f", out.resolve("pg_wal.tar")
          .toString(), "-C", walDir.toString()), Map.of(), Duration.ofMinutes(30), null);
      if (walTar.exit() != 0) {
        throw FailureKind.LOCAL_IO.failure("unpacking the streamed WAL failed: "
            + PgFailures.lastMeaningfulLine(walTar.stderr()));
      }
      String manifestKey = RepositoryLayout.baseBackupManifestKey(repo.prefix(), db.name(),
          req.backupId());
      putCompressed(store, repo, manifestKey, Files.readAllBytes(manifestFile));
      BaseUpload.Verified done = upload.completeAfter(
          () -> verification.verify(req, store, data, beat, false, sums), uploaded);
      BaseBackupVerification.Facts f = done.facts();
      long verified = done.verifiedAt();
      long finished = done.uploadedAt();
      log.info("base backup {} (server-compressed): pg_basebackup {} ms, unpack +{} ms,"
          + " verification +{} ms, upload done {} ms after the verification", req.backupId(),
          eof - started, untarred - eof, verified - untarred, Math.max(0, finished - verified));
      String compression = "zstd level " + level + " by the server, " + workers + " workers";
      return new BaseStreamResult(key, raw.get(), sink.storedBytes(), sink.sha256Hex(),
          compression, started, eof, f.startLsn(), f.stopLsn(), f.timeline(), f.startSegment(),
          f.stopSegment(), f.segmentSize(), f.pgVersion(), f.systemId(), version, f.verification(),
          manifestKey);
    } finally {
      if (!upload.completed()) {
        bb.destroyForcibly();
        readers.shutdownNow();
        upload.abortUnlessCompleted();
      }
      readers.shutdownNow();
      bbErr.close();
    }
  }

  /** A small object, zstd-compressed then sealed (one frame, like a WAL segment). */
  private void putCompressed(ObjectStore store, RepositoryConfig repo, String key, byte[] plain)
      throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(plain.length / 4);
    try (ZstdOutputStream z = new ZstdOutputStream(stores.cipher(repo).seal(bytes, key))) {
      z.setLevel(3);
      z.setChecksum(true);   // the frame's own checksum: damage is caught without a key, too
      z.write(plain);
    }
    store.put(key, bytes.toByteArray(), "application/zstd");
  }
}
