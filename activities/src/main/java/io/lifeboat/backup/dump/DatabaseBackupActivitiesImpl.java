package io.lifeboat.backup.dump;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StallWatchdog;
import io.lifeboat.process.StderrTail;
import io.lifeboat.process.Tools;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class DatabaseBackupActivitiesImpl implements DatabaseBackupActivities {
  private static final Logger log = LoggerFactory.getLogger(DatabaseBackupActivitiesImpl.class);
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final PgTools pg;
  private final DirectoryDump directory; // databases[].dump.format: directory (issue 21)
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DatabaseBackupActivitiesImpl(StoreFactory stores, PgTools pg) {
    this.stores = stores;
    this.pg = pg;
    this.directory = new DirectoryDump(pg);
  }

  @Override
  public DatabaseFacts assess(DatabaseConfig db) {
    return typed(() -> {
      try (Connection c = pg.connect(db, "lifeboat");
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery(
               "select 1, current_setting('server_version'), pg_database_size(current_database())")) {
        rs.next();
        return new DatabaseFacts(rs.getString(2), rs.getLong(3));
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
    });
  }

  @Override
  public DumpResult dumpToRepository(DumpRequest req) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      // Never over a committed backup (its data under its manifest): refused before any byte.
      io.lifeboat.storage.CommitMark.requireUncommitted(store, req.objectKey());
      ctx.getHeartbeatDetails(DumpProgress.class).ifPresent(prev -> {
        // A pg_dump stream cannot be resumed (a new run is a new snapshot): start clean, and
        // leave no parts of the killed attempt behind.
        if (prev.uploadId() != null) {
          log.info("attempt {}: aborting upload {} left by the previous attempt ({} parts)",
              ctx.getInfo().getAttempt(), prev.uploadId(), prev.partsDone().size());
          store.abortUpload(prev.objectKey(), prev.uploadId());
        }
      });
      try {
        return req.database().dumpSettings().directory()
            ? directory.dump(req, store, stores.cipher(req.repository()), ctx)
            : dump(req, store, ctx);
      } catch (IOException e) {
        if (io.lifeboat.failure.ActivityFailures.diskFull(e)) {
          throw FailureKind.DISK_FULL.failure("no space left in "
              + req.repository().localCopyDir() + " while writing the local copy of "
              + req.objectKey() + "; the upload was aborted and nothing was committed");
        }
        throw FailureKind.PG_TOOL_FAILED.failure("backup stream failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
      }
    });
  }

  private DumpResult dump(DumpRequest req, ObjectStore store, ActivityExecutionContext ctx)
      throws IOException, InterruptedException {
    DatabaseConfig db = req.database();
    RepositoryConfig repo = req.repository();
    String version = pg.version("pg_dump");
    long started = System.currentTimeMillis();

    List<String> argv = new ArrayList<>();
    argv.add(pg.tool("pg_dump"));
    argv.addAll(pg.connection(db, db.name()));
    argv.addAll(List.of("--format=custom", "--compress=0"));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(pg.environment(db));
    Process dump = pb.start();
    StderrTail stderr = new StderrTail(dump.getErrorStream(), "pg_dump");

    String key = req.objectKey();
    String uploadId = store.startUpload(key);
    ctx.heartbeat(new DumpProgress(key, uploadId, 0, 0, List.of()));
    StallWatchdog stall = StallWatchdog.start("pg_dump-" + db.name(),
        StallWatchdog.limitFor(ctx.getInfo().getHeartbeatTimeout()), dump::destroyForcibly);
    Path localFinal = localPath(repo, key);
    Path localPartial = localFinal == null ? null : localFinal.resolveSibling(
        localFinal.getFileName() + ".partial");
    boolean completed = false;
    PartUploader sink = null;
    try (OutputStream local = openLocal(localPartial)) {
      long limit = repo.maxUploadMbPerSecond() * 1024L * 1024L;
      long[] raw = {0};
      PartUploader[] self = new PartUploader[1];
      Runnable beat = () -> ctx.heartbeat(new DumpProgress(key, uploadId, raw[0],
          self[0].storedBytes(), self[0].partsDone()));
      sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024, limit, local,
          beat);
      self[0] = sink;
      // Compress, then encrypt (when the repository has a key): the uploader, its checksum and
      // the local copy all see the stored form.
      ZstdOutputStream zstd = new ZstdOutputStream(stores.cipher(repo).seal(sink, key));
      zstd.setLevel(req.compression().level());
      zstd.setWorkers(req.compression().workers());
      zstd.setChecksum(true);
      byte[] buf = new byte[CHUNK];
      try (InputStream in = stall.watch(dump.getInputStream())) {
        int n;
        while ((n = in.read(buf)) > 0) {
          zstd.write(buf, 0, n);
          raw[0] += n;
          beat.run();
        }
      } catch (IOException e) {
        if (!stall.fired()) throw e;
      }
      if (stall.fired()) throw stalled(db, stall, raw[0]);
      int exit = dump.waitFor();
      if (exit != 0) {
        throw PgFailures.fromTool("pg_dump", db, exit, stderr.text());
      }
      zstd.close();
      List<String> etags = sink.finish();
      store.completeUpload(key, uploadId, etags);
      completed = true;
      if (localPartial != null) {
        local.close();
        Files.move(localPartial, localFinal, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      String compression = "zstd level " + req.compression().level() + ", "
          + req.compression().workers() + " workers";
      ctx.heartbeat(new DumpProgress(key, null, raw[0], sink.storedBytes(), sink.partsDone()));
      return new DumpResult(key, raw[0], sink.storedBytes(), sink.sha256Hex(), version, compression,
          localFinal == null ? null : localFinal.toString(), started, System.currentTimeMillis());
    } finally {
      if (!completed) {
        dump.destroyForcibly();
        if (sink != null) sink.cancel();
        try {
          store.abortUpload(key, uploadId);
        } catch (RuntimeException e) {
          log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
        }
        if (localPartial != null) Files.deleteIfExists(localPartial);
      }
      stall.close();
      stderr.close();
    }
  }

  /**
   * The failure of an attempt whose pg_dump went silent (a link down without a reset would
   * block its read for hours): retryable, pg_dump killed, nothing committed.
   */
  static ApplicationFailure stalled(DatabaseConfig db, StallWatchdog stall, long rawBytes) {
    return FailureKind.PG_UNAVAILABLE.failure("the pg_dump stream from " + db.host() + ":"
        + db.port() + " stalled: no bytes for " + stall.limit().toSeconds() + " s after "
        + rawBytes + " bytes (is the link to the database host down?); pg_dump was killed,"
        + " its upload aborted and nothing committed");
  }

  @Override
  public VerifyResult verifyStoredDump(VerifyRequest req) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      try {
        return BackupManifest.DIRECTORY.equals(req.format())
            ? directory.verify(req, store, stores.cipher(req.repository()), ctx)
            : verify(req, store, ctx);
      } catch (IOException e) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + req.objectKey()
            + " cannot be read back: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
      }
    });
  }

  private VerifyResult verify(VerifyRequest req, ObjectStore store, ActivityExecutionContext ctx)
      throws IOException, InterruptedException {
    MessageDigest sha = sha256();
    Process restore = new ProcessBuilder(pg.tool("pg_restore"), "--list").start();
    StderrTail stderr = new StderrTail(restore.getErrorStream(), "pg_restore");
    var listing = new java.io.ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try (InputStream out = restore.getInputStream()) {
        out.transferTo(listing);
      } catch (IOException ignored) {
        // process ended
      }
    }, "pg_restore-list");
    reader.start();
    long bytes = 0;
    try (CountingInputStream counted = new CountingInputStream(store.get(req.objectKey()));
         DigestInputStream digest = new DigestInputStream(
             new BufferedInputStream(counted, CHUNK), sha);
         ZstdInputStream unzstd = new ZstdInputStream(stores.cipher(req.repository())
             .open(digest, req.objectKey(), "stored dump " + req.objectKey()))) {
      OutputStream toRestore = restore.getOutputStream();
      boolean restoreOpen = true;
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = unzstd.read(buf)) > 0) {
        if (restoreOpen) {
          try {
            toRestore.write(buf, 0, n);
          } catch (IOException closedEarly) {
            // pg_restore --list reads only the table of contents; keep reading so the
            // checksum covers every stored byte and every zstd frame is checked.
            restoreOpen = false;
          }
        }
        ctx.heartbeat(null);
      }
      try {
        toRestore.close();
      } catch (IOException ignored) {
        // already closed by pg_restore
      }
      while (digest.read(buf) > 0) {
        // trailing bytes after the last frame still belong to the object
      }
      bytes = counted.count();
    } catch (com.github.luben.zstd.ZstdIOException e) {
      restore.destroyForcibly();
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + req.objectKey()
          + " is corrupt: zstd says " + e.getMessage());
    }
    int exit = restore.waitFor();
    reader.join(5000);
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(req.expectedSha256())) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + req.objectKey()
          + " does not match its checksum: sha256 " + actual + ", expected " + req.expectedSha256());
    }
    if (bytes != req.expectedBytes()) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + req.objectKey() + " has " + bytes
          + " bytes, expected " + req.expectedBytes());
    }
    if (exit != 0) {
      throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list rejects " + req.objectKey()
          + ": " + PgFailures.lastMeaningfulLine(stderr.text()));
    }
    int entries = (int) listing.toString().lines()
        .filter(l -> !l.isBlank() && !l.startsWith(";")).count();
    if (entries == 0) {
      throw FailureKind.BACKUP_CORRUPT.failure("pg_restore --list finds nothing in "
          + req.objectKey());
    }
    return new VerifyResult(actual, bytes, entries);
  }

  @Override
  public void commitManifest(RepositoryConfig repo, BackupManifest manifest) {
    typed(() -> {
      String key = RepositoryLayout.manifestKey(repo.prefix(), manifest.database(),
          manifest.backupId());
      // The dump was written (and read back) through this repository's cipher: say which key,
      // as its header names it (a key rotation may have happened since the upload).
      BackupManifest stamped = manifest.encryption() != null ? manifest
          : manifest.withEncryption(RepositoryCipher.infoOf(stores.forRepository(repo),
              manifest.objectKey()));
      byte[] body;
      try {
        body = json.writeValueAsBytes(stamped);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      ObjectStore store = stores.forRepository(repo);
      if (!store.exists(manifest.objectKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + key
            + ": its dump is not in the repository");
      }
      // Never over a committed backup, not even its local copy (refused before anything).
      boolean retry = io.lifeboat.storage.CommitMark.alreadyCommitted(store, key, body);
      Path local = localPath(repo, key);
      if (local != null) {
        try {
          Files.createDirectories(local.getParent());
          Path tmp = local.resolveSibling(local.getFileName() + ".partial");
          Files.write(tmp, body);
          Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw FailureKind.LOCAL_IO.failure("cannot write local manifest " + local + ": " + e);
        }
      }
      if (!retry) io.lifeboat.storage.CommitMark.write(store, key, body);
      return null;
    });
  }

  @Override
  public List<String> applyRetention(RetentionRequest req) {
    return typed(() -> retention(stores.forRepository(req.repository()), req));
  }

  /**
   * Dumps: a dump's time is its id's; the newest committed dump is kept however old; a
   * directory with a manifest.json at any depth counts as committed; leftovers of failed runs
   * go after a day; ids that do not parse are kept. With {@code retention.keep}, a dump older
   * than the days is still kept when GFS keeps it (GfsSelection, in the request's zone).
   */
  static List<String> retention(ObjectStore store, RetentionRequest req) {
    RepositoryConfig repo = req.repository();
    return Retention.apply(store, RepositoryLayout.fullBackupsRoot(repo.prefix(), req.database()),
        Instant.ofEpochMilli(req.nowMillis()),
        new Retention.Policy(1, Duration.ofDays(req.retentionDays()), Duration.ofDays(1),
            req.keep(), req.timezone() != null ? java.time.ZoneId.of(req.timezone()) : null),
        Retention.Dir::holdsManifestAnywhere, Retention.Dir::idTime, LocalCopy.eachFile(repo),
        (id, committed) -> log.info("retention: removed {} backup {} of {}",
            committed ? "expired" : "incomplete", id, req.database())).expired();
  }

  @Override
  public void discardIncomplete(DiscardRequest req) {
    typed(() -> discard(stores.forRepository(req.repository()), req));
  }

  static boolean discard(ObjectStore store, DiscardRequest req) {
    RepositoryConfig repo = req.repository();
    return Discard.leftovers(store,
        RepositoryLayout.fullBackupDir(repo.prefix(), req.database(), req.backupId()), true,
        LocalCopy.eachFileThenDir(repo));
  }

  private static Path localPath(RepositoryConfig repo, String key) {
    return repo.localCopyDir() == null ? null : Path.of(repo.localCopyDir()).resolve(key);
  }

  private static OutputStream openLocal(Path partial) throws IOException {
    if (partial == null) return null;
    Files.createDirectories(partial.getParent());
    return new java.io.BufferedOutputStream(Files.newOutputStream(partial), CHUNK);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
