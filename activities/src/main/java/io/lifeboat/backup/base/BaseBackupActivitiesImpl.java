package io.lifeboat.backup.base;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.process.Tools;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.backup.base.BaseBackupActivities;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.backup.base.BaseClusterFacts;
import io.lifeboat.backup.base.BaseRetentionRequest;
import io.lifeboat.backup.base.BaseRetentionResult;
import io.lifeboat.backup.base.BaseStreamProgress;
import io.lifeboat.backup.base.BaseStreamRequest;
import io.lifeboat.backup.base.BaseStreamResult;
import io.lifeboat.backup.base.BaseVerifyStoredRequest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.wal.WalNames;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base backups. The tar stream of pg_basebackup goes two ways at once: compressed into S3, and
 * unpacked into a scratch directory where pg_verifybackup checks every file against the
 * backup's own manifest and parses the WAL the backup needs, fetched from our archive. The
 * backup is therefore proven restorable from what the repository holds before it is committed;
 * the scratch directory is removed whatever happens.
 */
public class BaseBackupActivitiesImpl implements BaseBackupActivities {
  private static final Logger log = LoggerFactory.getLogger(BaseBackupActivitiesImpl.class);
  private static final int CHUNK = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreFactory stores;
  private final PgTools pg;
  private static final Path SHM = Path.of("/dev/shm");
  /** Memory left to everything else after an unpacked backup sits in tmpfs. */
  private static final long SHM_HEADROOM = 2L << 30;

  private final Path scratchRoot;
  private final boolean scratchChosen;

  public BaseBackupActivitiesImpl(StoreFactory stores, PgTools pg, Secrets secrets) {
    this.stores = stores;
    this.pg = pg;
    String dir = secrets.optional("LIFEBOAT_SCRATCH_DIR");
    this.scratchChosen = dir != null && !dir.isBlank();
    this.scratchRoot = Path.of(scratchChosen ? dir : System.getProperty("java.io.tmpdir"));
  }

  /**
   * Where the unpacked copy for pg_verifybackup goes: LIFEBOAT_SCRATCH_DIR when set; otherwise
   * tmpfs (/dev/shm) when the cluster fits there with {@link #SHM_HEADROOM} of memory to spare,
   * because the copy lives for seconds and is deleted unread by anyone else: on a disk it costs
   * 2 GB of writes (and their write-back) per 2 GB cluster, in memory only the copy. Bigger
   * clusters, or an unknown size, use the temporary directory.
   */
  Path scratchRoot(long clusterBytes) {
    if (scratchChosen || clusterBytes <= 0) return scratchRoot;
    try {
      if (!Files.isDirectory(SHM) || !Files.isWritable(SHM)) return scratchRoot;
      // The unpacked copy, plus (format 2) the server-compressed file it is unpacked from,
      // which is rarely more than 40 % of it.
      long needed = clusterBytes + clusterBytes / 2;
      long shmFree = Files.getFileStore(SHM).getUsableSpace();
      long memAvailable = memAvailableBytes();
      if (shmFree > needed && memAvailable > needed + SHM_HEADROOM) return SHM;
    } catch (IOException | RuntimeException e) {
      log.debug("tmpfs not usable for the scratch copy: {}", e.getMessage());
    }
    return scratchRoot;
  }

  /**
   * Scratch copies a killed worker left behind (in tmpfs they hold memory until a reboot): the
   * earlier attempts of this backup, and any copy older than the stream's 12-hour limit.
   */
  static void removeLeftovers(Path root, String backupId) {
    Instant stale = Instant.now().minus(Duration.ofHours(12));
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("lifeboat-base-"))
          .filter(d -> {
            try {
              return d.getFileName().toString().startsWith("lifeboat-base-" + backupId + "-")
                  || Files.getLastModifiedTime(d).toInstant().isBefore(stale);
            } catch (IOException gone) {
              return false;
            }
          })
          .forEach(d -> {
            log.info("removing the scratch copy {} left by an earlier attempt", d);
            deleteTree(d);
          });
    } catch (IOException e) {
      log.warn("could not look for old scratch copies in {}: {}", root, e.getMessage());
    }
  }

  private static long memAvailableBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
      }
    }
    return 0;
  }

  @Override
  public BaseClusterFacts assessCluster(DatabaseConfig db) {
    return typed(() -> {
      try (Connection c = pg.connect(db, "lifeboat");
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select current_setting('server_version'),"
               + " current_setting('archive_mode'), current_setting('archive_command'),"
               + " (select sum(pg_database_size(oid)) from pg_database)")) {
        rs.next();
        boolean archiving = !"off".equals(rs.getString(2));
        if (!archiving) {
          throw FailureKind.ARCHIVING_OFF.failure("the cluster of " + db.name() + " at "
              + db.address() + " does not archive WAL (archive_mode = off): a base backup"
              + " without the archive cannot be restored");
        }
        return new BaseClusterFacts(rs.getString(1), true, rs.getLong(4));
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
    });
  }

  @Override
  public BaseStreamResult streamAndVerify(BaseStreamRequest req) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      // Never over a committed backup (its data under its manifest): refused before any byte.
      io.lifeboat.storage.CommitMark.requireUncommitted(store, req.objectKey());
      ctx.getHeartbeatDetails(BaseStreamProgress.class).ifPresent(prev -> {
        // A base backup cannot resume: start clean, leaving nothing of the killed attempt.
        if (prev.uploadId() != null) store.abortUpload(prev.objectKey(), prev.uploadId());
      });
      Path scratch = null;
      try {
        Path root = scratchRoot(req.clusterBytes());
        Files.createDirectories(root);
        removeLeftovers(root, req.backupId());
        scratch = Files.createTempDirectory(root, "lifeboat-base-" + req.backupId() + "-");
        return serverCompresses(req)
            ? streamServerCompressed(req, store, ctx, scratch)
            : stream(req, store, ctx, scratch);
      } catch (IOException e) {
        throw FailureKind.PG_TOOL_FAILED.failure("base backup stream failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
      } finally {
        if (scratch != null) deleteTree(scratch);
      }
    });
  }

  private BaseStreamResult stream(BaseStreamRequest req, ObjectStore store,
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
    String uploadId = store.startUpload(key);
    long[] raw = {0};
    String[] phase = {"streaming"};
    PartUploader[] self = new PartUploader[1];
    // Called from this thread and from the upload's tail (another thread) while both run.
    Runnable beat = () -> ctx.heartbeat(new BaseStreamProgress(key, uploadId, phase[0], raw[0],
        self[0] == null ? 0 : self[0].storedBytes()));
    beat.run();
    boolean completed = false;
    PartUploader sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    self[0] = sink;
    int level = req.wal().baseCompressionLevel();
    var tail = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "base-upload-tail-" + req.backupId());
      t.setDaemon(true);
      return t;
    });
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
            longestWaitAt = raw[0];
          }
          lastRead = now;
          toTar.write(buf, 0, n);
          // The one place the compressed stream goes to the uploader (sink).
          zstd.write(buf, 0, n);
          raw[0] += n;
          beat.run();
        }
      }
      long eof = System.currentTimeMillis();
      // Where the stream stalls: the checkpoint (before the first byte) or the archiving of the
      // backup's last WAL segment (before backup_manifest, the last bytes).
      log.info("base backup {}: first byte after {} ms; longest stall {} ms at byte {} of {}",
          req.backupId(), firstByte - started, longestWait, longestWaitAt, raw[0]);
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
      phase[0] = "verifying";
      beat.run();
      Facts f = verify(req, store, scratch, beat, true, null);
      long verified = System.currentTimeMillis();
      List<String> etags = awaitReader(uploaded, beat);
      long finished = System.currentTimeMillis();
      store.completeUpload(key, uploadId, etags);
      completed = true;
      log.info("base backup {}: stream {} ms (pg_basebackup to EOF), tar +{} ms, verification"
          + " +{} ms, upload tail done {} ms after the verification", req.backupId(),
          eof - started, untarred - eof, verified - untarred, Math.max(0, finished - verified));
      String compression = "zstd level " + level + ", " + req.compression().workers()
          + " workers";
      return new BaseStreamResult(key, raw[0], sink.storedBytes(), sink.sha256Hex(), compression,
          started, untarred, f.startLsn, f.stopLsn, f.timeline, f.startSegment, f.stopSegment,
          f.segmentSize, f.pgVersion, f.systemId, version, f.verification);
    } finally {
      if (!completed) {
        bb.destroyForcibly();
        tar.destroyForcibly();
        if (uploaded != null) uploaded.cancel(true);
        sink.cancel();
        try {
          store.abortUpload(key, uploadId);
        } catch (RuntimeException e) {
          log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
        }
      }
      tail.shutdownNow();
      bbErr.close();
      tarErr.close();
    }
  }

  /**
   * Format 2 when the configuration asks for it (the default) and the server can compress
   * (PostgreSQL 15 or later); format 1 otherwise.
   */
  private boolean serverCompresses(BaseStreamRequest req) {
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
  private BaseStreamResult streamServerCompressed(BaseStreamRequest req, ObjectStore store,
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
    String uploadId = store.startUpload(key);
    java.util.concurrent.atomic.AtomicLong raw = new java.util.concurrent.atomic.AtomicLong();
    String[] phase = {"streaming"};
    PartUploader[] self = new PartUploader[1];
    // Called from this thread and from the readers while they run.
    Runnable beat = () -> ctx.heartbeat(new BaseStreamProgress(key, uploadId, phase[0],
        raw.get(), self[0] == null ? 0 : self[0].storedBytes()));
    beat.run();
    boolean completed = false;
    PartUploader sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    self[0] = sink;
    var readers = java.util.concurrent.Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "base-follow-" + req.backupId());
      t.setDaemon(true);
      return t;
    });
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
        if (uploaded.isDone()) awaitReader(uploaded, beat);
        if (unpacked.isDone()) awaitReader(unpacked, beat);
        if (decompressed.isDone()) awaitReader(decompressed, beat);
      }
      long eof = System.currentTimeMillis();
      int exit = bb.exitValue();
      if (exit != 0) throw PgFailures.fromTool("pg_basebackup", db, exit, bbErr.text());
      awaitReader(decompressed, beat);
      Map<String, ChecksummingUnpacker.FileSum> sums = awaitReader(unpacked, beat);
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
      phase[0] = "verifying";
      beat.run();
      Facts f = verify(req, store, data, beat, false, sums);
      long verified = System.currentTimeMillis();
      List<String> etags = awaitReader(uploaded, beat);
      long finished = System.currentTimeMillis();
      store.completeUpload(key, uploadId, etags);
      completed = true;
      log.info("base backup {} (server-compressed): pg_basebackup {} ms, unpack +{} ms,"
          + " verification +{} ms, upload done {} ms after the verification", req.backupId(),
          eof - started, untarred - eof, verified - untarred, Math.max(0, finished - verified));
      String compression = "zstd level " + level + " by the server, " + workers + " workers";
      return new BaseStreamResult(key, raw.get(), sink.storedBytes(), sink.sha256Hex(),
          compression, started, eof, f.startLsn, f.stopLsn, f.timeline, f.startSegment,
          f.stopSegment, f.segmentSize, f.pgVersion, f.systemId, version, f.verification,
          manifestKey);
    } finally {
      if (!completed) {
        bb.destroyForcibly();
        readers.shutdownNow();
        sink.cancel();
        try {
          store.abortUpload(key, uploadId);
        } catch (RuntimeException e) {
          log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
        }
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

  /**
   * A helper thread's end (the upload's tail, the unpack, the archive watcher), heartbeating
   * while it lasts; its failure surfaces as this thread's.
   */
  private static <T> T awaitReader(java.util.concurrent.Future<T> reader, Runnable beat)
      throws IOException, InterruptedException {
    while (true) {
      try {
        return reader.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stillUploading) {
        beat.run();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) throw io;
        if (e.getCause() instanceof RuntimeException re) throw re;
        throw new IOException(e.getCause());
      }
    }
  }

  private record Facts(String startLsn, String stopLsn, int timeline, String startSegment,
      String stopSegment, long segmentSize, String pgVersion, String systemId,
      String verification) {}

  /**
   * WAL range from backup_manifest, then pg_verifybackup. Format 1 ({@code walFromArchive}):
   * the WAL is fetched from the archive first. Format 2: pg_wal already holds the WAL streamed
   * with the backup, and while pg_verifybackup runs the archive is watched until it holds the
   * same segments, so a committed backup is restorable from the repository alone either way.
   */
  private Facts verify(BaseStreamRequest req, ObjectStore store, Path dir, Runnable beat,
      boolean walFromArchive, Map<String, ChecksummingUnpacker.FileSum> streamSums)
      throws IOException, InterruptedException {
    Path manifestFile = dir.resolve("backup_manifest");
    if (!Files.exists(manifestFile)) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("the base backup stream has no backup_manifest");
    }
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    // Checksums taken in the stream replace pg_verifybackup's second read of every byte.
    boolean checksumsInStream = streamSums != null && ManifestChecksums.checkable(manifest);
    if (checksumsInStream) {
      var mismatch = ManifestChecksums.firstMismatch(manifest, streamSums);
      if (mismatch.isPresent()) {
        throw FailureKind.BASE_VERIFY_FAILED.failure("base backup " + req.backupId() + " of "
            + req.database().name() + " does not match its backup_manifest: "
            + mismatch.get());
      }
    }
    JsonNode ranges = manifest.path("WAL-Ranges");
    if (!ranges.isArray() || ranges.isEmpty()) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("backup_manifest lists no WAL range");
    }
    Map<String, String> control = controlData(dir, req.database());
    long segSize = Long.parseLong(control.getOrDefault("Bytes per WAL segment",
        String.valueOf(req.wal().segmentSizeBytes())));
    String systemId = control.get("Database system identifier");
    String pgVersion = Files.readString(dir.resolve("PG_VERSION")).strip();

    WalArchive archive = new WalArchive(store, req.repository().prefix(), req.database().name(),
        req.wal().compressionLevel(), stores.cipher(req.repository()));
    Path walDir = dir.resolve("pg_wal");
    Files.createDirectories(walDir);
    String firstSegment = null;
    String lastSegment = null;
    int fetched = 0;
    List<String> needed = new ArrayList<>();
    for (JsonNode r : ranges) {
      int tl = r.path("Timeline").asInt();
      String from = WalNames.segmentOf(tl, r.path("Start-LSN").asText(), segSize);
      String to = WalNames.segmentBefore(tl, r.path("End-LSN").asText(), segSize);
      if (firstSegment == null) firstSegment = from;
      lastSegment = to;
      for (String s = from; s.compareTo(to) <= 0; s = WalNames.next(s, segSize)) {
        needed.add(s);
        if (!walFromArchive) continue;
        if (!archive.fetch(s, walDir.resolve(s))) {
          throw FailureKind.WAL_GAP.failure("the WAL archive of " + req.database().name()
              + " lacks " + s + ", which base backup " + req.backupId() + " needs");
        }
        fetched++;
        beat.run();
      }
    }
    JsonNode first = ranges.get(0);
    JsonNode last = ranges.get(ranges.size() - 1);
    // Format 2: the archive's copy of the backup's WAL is awaited beside pg_verifybackup.
    var watcher = walFromArchive ? null : java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "base-archive-wait-" + req.backupId());
          t.setDaemon(true);
          return t;
        });
    java.util.concurrent.Future<Long> archived = watcher == null ? null
        : watcher.submit(() -> ArchiveWait.await(archive, needed, req.database(), pg,
            req.backupId()));
    long verifyStart = System.currentTimeMillis();
    try {
      runVerifier(req, dir, manifest, beat, checksumsInStream);
      if (archived != null) {
        long waited = awaitReader(archived, beat);   // a WAL gap surfaces here
        log.info("base backup {}: its WAL was in the archive {} ms after pg_verifybackup started",
            req.backupId(), waited);
      }
    } finally {
      if (watcher != null) watcher.shutdownNow();
    }
    int files = manifest.path("Files").size();
    String wal = walFromArchive
        ? "WAL " + firstSegment + ".." + lastSegment + " (" + fetched
            + " segments) fetched from the archive and parsed"
        : "WAL " + firstSegment + ".." + lastSegment + " (" + needed.size()
            + " segments) streamed with the backup and parsed, the same segments present in the"
            + " archive";
    String verification = checksumsInStream
        ? "pg_verifybackup passed: " + files + " files checked against backup_manifest (the"
            + " manifest's checksum, file set and sizes by pg_verifybackup --skip-checksums;"
            + " every file's CRC32C by the worker as the stored stream was unpacked), " + wal
            + "; stored sha256 re-read from storage"
        : "pg_verifybackup passed: " + files + " files checked against"
            + " backup_manifest (CRC32C), " + wal + "; stored sha256 re-read from storage";
    return new Facts(first.path("Start-LSN").asText(), last.path("End-LSN").asText(),
        last.path("Timeline").asInt(), firstSegment, lastSegment, segSize, pgVersion, systemId,
        verification);
  }

  private void runVerifier(BaseStreamRequest req, Path dir, JsonNode manifest, Runnable beat,
      boolean checksumsChecked) throws IOException, InterruptedException {
    long verifyStart = System.currentTimeMillis();
    int cores = Runtime.getRuntime().availableProcessors();
    // Without checksums there is nothing worth splitting: sizes and the WAL are quick.
    List<List<String>> shards = checksumsChecked ? List.of(List.of("--skip-checksums"))
        : VerifierShards.split(manifest, Math.min(cores, 4));
    List<Process> verifiers = new ArrayList<>();
    List<StderrTail> outputs = new ArrayList<>();
    try {
      for (List<String> extra : shards) {
        List<String> argv = new ArrayList<>();
        argv.add(pg.tool("pg_verifybackup"));
        argv.addAll(extra);
        argv.add(dir.toString());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        verifiers.add(p);
        outputs.add(new StderrTail(p.getInputStream(), "pg_verifybackup"));
      }
      // pg_verifybackup reads every byte again: minutes on a big cluster, so heartbeat meanwhile.
      for (Process p : verifiers) {
        while (!p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) beat.run();
      }
    } finally {
      verifiers.forEach(Process::destroyForcibly);
    }
    log.info("pg_verifybackup of {}: {} ms ({} processes)", req.backupId(),
        System.currentTimeMillis() - verifyStart, verifiers.size());
    for (int i = 0; i < verifiers.size(); i++) {
      String said = outputs.get(i).text();
      outputs.get(i).close();
      if (verifiers.get(i).exitValue() != 0) {
        throw FailureKind.BASE_VERIFY_FAILED.failure("pg_verifybackup rejects base backup "
            + req.backupId() + " of " + req.database().name() + ": "
            + PgFailures.lastMeaningfulLine(said));
      }
    }
  }

  /**
   * The backup's pg_control as pg_controldata reads it; where only the PostgreSQL client is
   * installed (the worker's container), the same two facts from the server it was taken from.
   */
  private Map<String, String> controlData(Path dir, DatabaseConfig db) throws IOException {
    if (!Files.isExecutable(Path.of(pg.tool("pg_controldata")))) {      try (Connection c = pg.connect(db, null);
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select system_identifier::text, (select setting from"
               + " pg_settings where name = 'wal_segment_size') from pg_control_system()")) {
        rs.next();
        return Map.of("Database system identifier", rs.getString(1),
            "Bytes per WAL segment", rs.getString(2));
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
    }
    Tools.Result r = Tools.run(List.of(pg.tool("pg_controldata"), dir.toString()), Map.of(),
        Duration.ofMinutes(1), null);
    if (r.exit() != 0) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("pg_controldata cannot read the backup: "
          + PgFailures.lastMeaningfulLine(r.stderr()));
    }
    Map<String, String> out = new java.util.HashMap<>();
    for (String line : r.stdout().split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }
    return out;
  }

  @Override
  public void verifyStored(BaseVerifyStoredRequest req) {
    typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      MessageDigest sha = sha256();
      long bytes = 0;
      try (InputStream in = store.get(req.objectKey())) {
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
          bytes += n;
          ctx.heartbeat(bytes);
        }
      } catch (IOException e) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored base backup " + req.objectKey()
            + " cannot be read back: " + e.getMessage());
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(req.expectedSha256()) || bytes != req.expectedBytes()) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored base backup " + req.objectKey()
            + " does not match what was streamed: sha256 " + actual + ", " + bytes
            + " bytes; expected " + req.expectedSha256() + ", " + req.expectedBytes());
      }
      return null;
    });
  }

  @Override
  public void commitBaseManifest(RepositoryConfig repo, BaseBackupManifest manifest) {
    typed(() -> {
      ObjectStore store = stores.forRepository(repo);
      String key = RepositoryLayout.baseManifestKey(repo.prefix(), manifest.database(),
          manifest.backupId());
      if (!store.exists(manifest.objectKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + key
            + ": its base.tar.zst is not in the repository");
      }
      if (manifest.backupManifestKey() != null && !store.exists(manifest.backupManifestKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + key
            + ": its backup_manifest.zst is not in the repository");
      }
      // The key the stored object's header names: a rotation may have happened since the upload.
      BaseBackupManifest stamped = manifest.encryption() != null ? manifest
          : manifest.withEncryption(RepositoryCipher.infoOf(store, manifest.objectKey()));
      // Never over a committed base backup: a retry of this commit is the same bytes.
      io.lifeboat.storage.CommitMark.write(store, key, BaseBackups.json(stamped));
      return null;
    });
  }

  @Override
  public BaseRetentionResult applyBaseRetention(BaseRetentionRequest req) {
    return typed(() -> retention(stores.forRepository(req.repository()), req));
  }

  static BaseRetentionResult retention(ObjectStore store, BaseRetentionRequest req) {
    RepositoryConfig repo = req.repository();
    // Base backups: a backup's time is when it finished (its manifest); the newest
    // baseRetentionCount are kept however old; committed means a readable manifest.json;
    // leftovers of failed runs go after a day (by their id's time).
    // Every manifest is read before anything is deleted: an unreadable one fails the run.
    String root = RepositoryLayout.baseBackupsRoot(repo.prefix(), req.database());
    BaseBackups backups = new BaseBackups(store, repo.prefix(), req.database());
    Map<String, BaseBackupManifest> manifests = new java.util.HashMap<>();
    for (Retention.Dir d : Retention.directories(store, root).values()) {
      if (d.holdsManifestAnywhere()) backups.read(d.id()).ifPresent(m -> manifests.put(d.id(), m));
    }
    Retention.Outcome outcome = Retention.apply(store, root,
        Instant.ofEpochMilli(req.nowMillis()),
        new Retention.Policy(req.wal().baseRetentionCount(),
            Duration.ofDays(req.wal().baseRetentionDays()), Duration.ofDays(1)),
        d -> manifests.containsKey(d.id()),
        d -> Optional.of(Instant.parse(manifests.get(d.id()).finishedAt())), LocalCopy.NONE,
        (id, committed) -> {
          if (committed) log.info("retention: removed base backup {} of {}", id, req.database());
        });
    List<String> expired = outcome.expired();
    List<BaseBackupManifest> kept = outcome.kept().stream().map(manifests::get).toList();
    if (kept.isEmpty()) {
      return new BaseRetentionResult(expired, null, 0);
    }
    // WAL older than the oldest kept backup's start is needed by nobody: every kept backup
    // starts at or after it, and recovery replays forward from a backup's start.
    BaseBackupManifest oldest = kept.get(0);
    long segSize = oldest.walSegmentSize();
    long keepFrom = WalNames.segmentNumber(oldest.startWalSegment(), segSize);
    WalArchive archive = new WalArchive(store, repo.prefix(), req.database(),
        req.wal().compressionLevel());
    List<String> doomed = archive.list().stream()
        .filter(e -> !WalNames.isHistory(e.name()))
        .filter(e -> WalNames.segmentNumber(e.name().substring(0, 24), segSize) < keepFrom)
        .map(WalArchive.Entry::key).toList();
    // A week of WAL is hundreds of objects: delete a few at a time, not one after another.
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(8);
    try {
      pool.submit(() -> doomed.parallelStream().forEach(store::delete)).get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.S3_UNAVAILABLE.failure("interrupted while expiring WAL");
    } finally {
      pool.shutdown();
    }
    int removed = doomed.size();
    if (removed > 0) {
      log.info("retention: removed {} WAL files of {} before {}", removed, req.database(),
          oldest.startWalSegment());
    }
    return new BaseRetentionResult(expired, oldest.startWalSegment(), removed);
  }

  @Override
  public void discardIncompleteBase(DiscardRequest req) {
    typed(() -> discard(stores.forRepository(req.repository()), req));
  }

  static boolean discard(ObjectStore store, DiscardRequest req) {
    return Discard.leftovers(store, RepositoryLayout.baseBackupDir(req.repository().prefix(),
        req.database(), req.backupId()), true, LocalCopy.NONE);
  }


  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove scratch directory {}: {}", dir, e.getMessage());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
