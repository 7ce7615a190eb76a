package io.lifeboat.backup.mariadb;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CommitMark;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.temporal.activity.Activity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB physical backups. mariadb-backup's xbstream goes through the same zstd, repository
 * cipher and multipart upload as a dump; verification extracts it with mbstream, prepares it
 * and starts it as a scratch mariadbd. mariadb-backup reads the data directory, so this runs on
 * the server's host; it logs in over TCP like the other clients (password in MYSQL_PWD).
 */
public class MariaDbPhysicalActivitiesImpl implements MariaDbPhysicalActivities {
  private static final Logger log = LoggerFactory.getLogger(MariaDbPhysicalActivitiesImpl.class);
  private static final Pattern POSITION = Pattern.compile(
      "binlog position: filename '([^']+)', position '(\\d+)'"
          + "(?:, GTID of the last change '([^']*)')?");

  private final StoreFactory stores;
  private final Secrets secrets;
  private final MariaDbBackupActivitiesImpl logical;

  public MariaDbPhysicalActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.secrets = secrets;
    this.logical = new MariaDbBackupActivitiesImpl(stores, secrets);
  }

  @Override
  public MariaDbDumpResult mariadbPhysicalToRepository(MariaDbDumpRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      CommitMark.requireUncommitted(store, req.objectKey());
      store.abortUploads(MariaDbLayout.dir(req.repository().prefix(), req.mariadb().name(),
          req.backupId()));
      Path tmp = null;
      try {
        tmp = Files.createTempDirectory("lifeboat-mariadb-backup");
        return backup(req, store, tmp, () -> ctx.heartbeat(null));
      } catch (IOException e) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("mariadb-backup stream failed: "
            + e.getMessage());
      } finally {
        MariaDbBackupActivitiesImpl.deleteTree(tmp);
      }
    });
  }

  /** {@code mariadb-backup --backup --stream=xbstream} with long options (its -h is datadir). */
  ProcessBuilder command(MariaDbConfig m, Path tmp) {
    ProcessBuilder pb = new ProcessBuilder("mariadb-backup", "--no-defaults", "--backup",
        "--stream=xbstream", "--protocol=TCP", "--host=" + m.address(), "--port=" + m.port(),
        "--user=" + m.user(), "--target-dir=" + tmp.resolve("target"), "--tmpdir=" + tmp);
    pb.environment().remove("MYSQL_PWD");
    if (m.passwordEnv() != null) {
      pb.environment().put("MYSQL_PWD", secrets.require(m.passwordEnv(),
          "the password of mariadb " + m.name()));
    }
    return pb;
  }

  MariaDbDumpResult backup(MariaDbDumpRequest req, ObjectStore store, Path tmp, Runnable beat)
      throws IOException {
    MariaDbConfig m = req.mariadb();
    RepositoryConfig repo = req.repository();
    long started = System.currentTimeMillis();
    Process p;
    try {
      p = command(m, tmp).start();
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot run mariadb-backup: "
          + e.getMessage() + " (apt-get install mariadb-backup)");
    }
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> MariaDbClient.copy(p.getErrorStream(), err),
        "mariadb-backup-stderr");
    drain.start();
    String key = req.objectKey();
    String uploadId = store.startUpload(key);
    boolean completed = false;
    PartUploader sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    long raw = 0;
    try {
      ZstdOutputStream zstd = new ZstdOutputStream(stores.cipher(repo).seal(sink, key));
      zstd.setLevel(req.compression().level());
      zstd.setWorkers(req.compression().workers());
      zstd.setChecksum(true);
      try (InputStream in = p.getInputStream()) {
        byte[] buf = new byte[MariaDbStreams.CHUNK];
        int n;
        while ((n = in.read(buf)) > 0) {
          zstd.write(buf, 0, n);
          raw += n;
          beat.run();
        }
      }
      int exit = p.waitFor();
      drain.join(5000);
      String words = err.toString();
      if (exit != 0 || !words.contains("completed OK!")) {
        throw MariaDbClient.classify(m.where(), m.passwordEnv(), "mariadb-backup",
            words + (exit == 0 ? "\nmariadb-backup did not report completed OK" : ""));
      }
      zstd.close();
      store.completeUpload(key, uploadId, sink.finish());
      completed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    } finally {
      if (p.isAlive()) p.destroyForcibly();
      if (!completed) {
        sink.cancel();
        try {
          store.abortUpload(key, uploadId);
        } catch (RuntimeException e) {
          log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
        }
      }
    }
    String[] pos = position(err.toString());
    if (req.logBin() && pos == null) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure(m.where() + ": mariadb-backup reported no"
          + " binlog position");
    }
    MariaDbFacts after = logical.facts(m, req.databases());
    String compression = "zstd level " + req.compression().level() + ", "
        + req.compression().workers() + " workers";
    return new MariaDbDumpResult(key, raw, sink.storedBytes(), sink.sha256Hex(), compression,
        pos == null ? null : pos[0], pos == null ? null : Long.parseLong(pos[1]),
        pos == null || pos[2] == null || pos[2].isEmpty() ? null : pos[2], after, started,
        System.currentTimeMillis(), MariaDbClient.version("mariadb-backup"));
  }

  /** File, position and GTID from mariadb-backup's "MySQL binlog position" line, or null. */
  static String[] position(String log) {
    Matcher x = POSITION.matcher(log);
    String[] last = null;
    while (x.find()) last = new String[] {x.group(1), x.group(2), x.group(3)};
    return last;
  }

  @Override
  public MariaDbVerifyResult mariadbVerifyStoredPhysical(MariaDbVerifyRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      return verify(stores.forRepository(req.repository()), stores.cipher(req.repository()),
          req, () -> ctx.heartbeat(null));
    });
  }

  /** The verification itself, outside Temporal too (the tests flip a byte and call it). */
  public static MariaDbVerifyResult verify(ObjectStore store, RepositoryCipher cipher,
      MariaDbVerifyRequest req, Runnable beat) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("lifeboat-mariadb-verify-physical");
      Path data = Files.createDirectories(scratch.resolve("data"));
      MariaDbStreams.Download d = extract(store, cipher, req.objectKey(), data, beat);
      MariaDbStreams.check(d, req.objectKey(), req.expectedSha256(), req.expectedBytes());
      prepare(data, req.objectKey());
      try (ScratchMariaDb s = ScratchMariaDb.startOn(scratch, data, beat)) {
        return MariaDbBackupActivitiesImpl.compare(req, d,
            MariaDbLoad.tables(s::sql, req.databases()), s.port, "physical backup");
      }
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot prepare a scratch mariadbd: "
          + e.getMessage());
    } finally {
      MariaDbBackupActivitiesImpl.deleteTree(scratch);
    }
  }

  /** The stored object (digest, cipher, zstd) into {@code mbstream -x -C data}. */
  public static MariaDbStreams.Download extract(ObjectStore store, RepositoryCipher cipher,
      String key, Path data, Runnable beat) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder("mbstream", "-x", "-C", data.toString())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot run mbstream: " + e.getMessage()
          + " (apt-get install mariadb-backup)");
    }
    ByteArrayOutputStream words = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> MariaDbClient.copy(p.getInputStream(), words), "mbstream");
    drain.start();
    boolean done = false;
    try {
      MariaDbStreams.Download d;
      try (OutputStream stdin = p.getOutputStream()) {
        d = MariaDbStreams.read(store, cipher, key, (buf, n) -> {
          try {
            stdin.write(buf, 0, n);
          } catch (IOException x) {
            throw new MariaDbStreams.SinkFailed(FailureKind.RESTORE_TEST_FAILED.failure(
                "mbstream refused the stored physical backup " + key + ": "
                    + MariaDbClient.lastLine(words.toString())));
          }
        }, beat);
      }
      int exit = p.waitFor();
      drain.join(5000);
      if (exit != 0) {
        throw FailureKind.RESTORE_TEST_FAILED.failure("mbstream could not extract the stored"
            + " physical backup " + key + ": " + MariaDbClient.lastLine(words.toString()));
      }
      done = true;
      return d;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    } finally {
      if (!done) p.destroyForcibly();
    }
  }

  /** {@code mariadb-backup --prepare}: the copy made consistent (its redo applied). */
  public static void prepare(Path data, String key) {
    List<String> argv = new ArrayList<>(List.of("mariadb-backup", "--no-defaults", "--prepare",
        "--target-dir=" + data));
    MariaDbClient.Result r = MariaDbClient.run(new ProcessBuilder(argv), 6 * 3600);
    if (r.exit() != 0 || !r.both().contains("completed OK!")) {
      throw FailureKind.RESTORE_TEST_FAILED.failure("mariadb-backup --prepare failed on the"
          + " stored physical backup " + key + ": " + MariaDbClient.lastLine(r.both()));
    }
  }
}
