package io.lifeboat.backup.mariadb;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.CommitMark;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.temporal.activity.Activity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB logical backups. mariadb-dump's stdout goes straight through the same zstd, repository
 * cipher and multipart upload as a pg_dump stream (no copy on the worker's disk); the binlog
 * position is the dump's own CHANGE MASTER comment (--master-data=2), so it is the position of
 * the dump's snapshot. Verification restores the stored object into a scratch mariadbd.
 */
public class MariaDbBackupActivitiesImpl implements MariaDbBackupActivities {
  private static final Logger log = LoggerFactory.getLogger(MariaDbBackupActivitiesImpl.class);

  private final StoreFactory stores;
  private final MariaDbClient cli;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public MariaDbBackupActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.cli = new MariaDbClient(secrets);
  }

  @Override
  public MariaDbFacts mariadbAssess(MariaDbConfig m) {
    return typed(() -> facts(m, null));
  }

  /** Version, the databases (checked), checksums; databases null: resolve from the config. */
  MariaDbFacts facts(MariaDbConfig m, List<String> databases) {
    List<String> head = MariaDbClient.lines(cli.sql(m, "SELECT VERSION(); SELECT @@log_bin;"
        + " SELECT schema_name FROM information_schema.schemata ORDER BY schema_name"));
    String version = head.get(0);
    boolean logBin = head.get(1).strip().equals("1");
    List<String> present = head.subList(2, head.size());
    List<String> dbs = databases;
    if (dbs == null) {
      if (m.all()) {
        dbs = present.stream().filter(d -> !MariaDbConfig.SYSTEM_SCHEMAS.contains(
            d.toLowerCase(java.util.Locale.ROOT))).toList();
      } else {
        for (String d : m.databases()) {
          if (!present.contains(d)) {
            throw FailureKind.UNKNOWN_DATABASE.failure(m.where() + " has no database '" + d
                + "' (mariadb[].databases)");
          }
        }
        dbs = m.databases();
      }
      if (dbs.isEmpty()) {
        throw FailureKind.UNKNOWN_DATABASE.failure(m.where() + " holds no database but its"
            + " own (mariadb[].all)");
      }
    }
    return new MariaDbFacts(version, dbs, checksums(m, dbs), logBin);
  }

  private Map<String, Long> checksums(MariaDbConfig m, List<String> dbs) {
    List<String> tables = MariaDbClient.lines(cli.sql(m, MariaDbClient.baseTablesSql(dbs)));
    if (tables.isEmpty()) return Map.of();
    return MariaDbClient.parseChecksums(cli.sql(m, MariaDbClient.checksumSql(tables)));
  }

  @Override
  public MariaDbDumpResult mariadbDumpToRepository(MariaDbDumpRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      CommitMark.requireUncommitted(store, req.objectKey());
      // A retry starts clean: a new dump, and no parts of the killed attempt left behind.
      store.abortUploads(MariaDbLayout.dir(req.repository().prefix(), req.mariadb().name(),
          req.backupId()));
      try {
        return dump(req, store, () -> ctx.heartbeat(null));
      } catch (IOException e) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("dump stream failed: " + e.getMessage());
      }
    });
  }

  MariaDbDumpResult dump(MariaDbDumpRequest req, ObjectStore store, Runnable beat)
      throws IOException {
    MariaDbConfig m = req.mariadb();
    RepositoryConfig repo = req.repository();
    long started = System.currentTimeMillis();
    List<String> args = new ArrayList<>(List.of("--single-transaction", "--routines",
        "--events", "--triggers", "--hex-blob", "--max-allowed-packet=1G"));
    if (req.logBin()) args.add("--master-data=2");
    args.add("--databases");
    args.addAll(req.databases());
    ProcessBuilder pb = cli.command(m, "mariadb-dump", args.toArray(String[]::new));
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> MariaDbClient.copy(p.getErrorStream(), err),
        "mariadb-dump-stderr");
    drain.start();
    String key = req.objectKey();
    String uploadId = store.startUpload(key);
    boolean completed = false;
    PartUploader sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    MariaDbStreams.HeadTail seen = new MariaDbStreams.HeadTail();
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
          seen.write(buf, 0, n);
          raw += n;
          beat.run();
        }
      }
      int exit = waitFor(p);
      drain.join(5000);
      if (exit != 0 || !MariaDbStreams.completed(seen.tail())) {
        throw MariaDbClient.classify(m.where(), m.passwordEnv(), "mariadb-dump",
            err.toString() + (exit == 0 ? "\nthe dump ended without its completion comment" : ""));
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
    String[] pos = MariaDbStreams.binlogPosition(seen.head());
    if (req.logBin() && pos == null) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure(m.where() + ": the dump carries no binlog"
          + " position (no CHANGE MASTER comment)");
    }
    MariaDbFacts after = facts(m, req.databases());
    String compression = "zstd level " + req.compression().level() + ", "
        + req.compression().workers() + " workers";
    return new MariaDbDumpResult(key, raw, sink.storedBytes(), sink.sha256Hex(), compression,
        pos == null ? null : pos[0], pos == null ? null : Long.parseLong(pos[1]),
        MariaDbStreams.gtid(seen.tail()), after, started, System.currentTimeMillis(),
        MariaDbClient.version("mariadb-dump"));
  }

  static int waitFor(Process p) throws InterruptedException {
    return p.waitFor();
  }

  @Override
  public MariaDbVerifyResult mariadbVerifyStoredDump(MariaDbVerifyRequest req) {
    // The load beats as it streams; CHECKSUM TABLE on the scratch server afterwards does not,
    // and on a big database it outlasts the heartbeat timeout: Keepalive beats meanwhile (its
    // beats, like the load's, carry no details).
    return io.lifeboat.run.Keepalive.during(() -> typed(() -> {
      var ctx = Activity.getExecutionContext();
      return verify(stores.forRepository(req.repository()), stores.cipher(req.repository()),
          req, () -> ctx.heartbeat(null));
    }));
  }

  /** The verification itself, outside Temporal too (the tests flip a byte and call it). */
  public static MariaDbVerifyResult verify(ObjectStore store, RepositoryCipher cipher,
      MariaDbVerifyRequest req, Runnable beat) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("lifeboat-mariadb-verify");
      try (ScratchMariaDb s = ScratchMariaDb.start(scratch, beat)) {
        MariaDbStreams.Download d = MariaDbLoad.into(s.client(), "the scratch mariadbd", store,
            cipher, req.objectKey(), beat, false);
        MariaDbStreams.check(d, req.objectKey(), req.expectedSha256(), req.expectedBytes());
        return compare(req, d, MariaDbLoad.tables(s::sql, req.databases()), s.port, "dump");
      }
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot prepare a scratch mariadbd: "
          + e.getMessage());
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * The scratch server's tables against the source's checksums: a table unchanged during the
   * copy must checksum alike, every table there before and after must be there.
   */
  static MariaDbVerifyResult compare(MariaDbVerifyRequest req, MariaDbStreams.Download d,
      List<MariaDbTable> tables, int port, String what) {
    List<String> changed = new ArrayList<>();
    int compared = 0;
    for (MariaDbTable t : tables) {
      Long before = req.before().get(t.name());
      Long after = req.after().get(t.name());
      if (before != null && before.equals(after)) {
        if (t.checksum() != before) {
          throw FailureKind.BACKUP_CORRUPT.failure("stored " + what + " " + req.objectKey()
              + " restores " + t.name() + " with CHECKSUM TABLE " + t.checksum()
              + ", the source had " + before);
        }
        compared++;
      } else {
        changed.add(t.name());
      }
    }
    for (String name : req.before().keySet()) {
      if (req.after().containsKey(name)
          && tables.stream().noneMatch(t -> t.name().equals(name))) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored " + what + " " + req.objectKey()
            + " restores without table " + name);
      }
    }
    return new MariaDbVerifyResult(d.sha256(), d.storedBytes(), tables, compared, changed,
        "127.0.0.1:" + port);
  }

  @Override
  public void mariadbCommitManifest(RepositoryConfig repo, MariaDbManifest manifest) {
    typed(() -> {
      ObjectStore store = stores.forRepository(repo);
      String key = MariaDbLayout.manifestKey(repo.prefix(), manifest.name(),
          manifest.backupId());
      MariaDbManifest stamped = manifest.encryption() != null ? manifest
          : manifest.withEncryption(RepositoryCipher.infoOf(store, manifest.objectKey()));
      CommitMark.commitAfter(store, key, stamped, json, manifest.objectKey(), "dump");
      return null;
    });
  }

  @Override
  public List<String> mariadbApplyRetention(MariaDbRetentionRequest req) {
    return typed(() -> Retention.apply(stores.forRepository(req.repository()),
        MariaDbLayout.root(req.repository().prefix(), req.name()),
        Instant.ofEpochMilli(req.nowMillis()),
        new Retention.Policy(1, Duration.ofDays(req.retentionDays()), Duration.ofDays(1),
            req.keep(), Retention.zone(req.timezone())),
        Retention.Dir::holdsManifest, Retention.Dir::idTime, LocalCopy.NONE,
        (id, committed) -> log.info("retention: removed {} mariadb backup {} of {}",
            committed ? "expired" : "incomplete", id, req.name())).expired());
  }

  @Override
  public void mariadbDiscardIncomplete(MariaDbDiscardRequest req) {
    typed(() -> Discard.leftovers(stores.forRepository(req.repository()),
        MariaDbLayout.dir(req.repository().prefix(), req.name(), req.backupId()), true,
        LocalCopy.NONE));
  }

  /** Committed MariaDB backups of a name, oldest first (ids sort by time). */
  public static List<MariaDbManifest> committed(ObjectStore store, String prefix, String name) {
    List<MariaDbManifest> found = new ArrayList<>();
    for (String key : store.list(MariaDbLayout.root(prefix, name))) {
      if (key.endsWith("/" + io.lifeboat.repository.RepositoryLayout.MANIFEST)) {
        found.add(io.lifeboat.backup.dump.Manifests.read(store, key, MariaDbManifest.class));
      }
    }
    found.sort(Comparator.comparing(MariaDbManifest::backupId));
    return found;
  }

  public static Optional<MariaDbManifest> newest(ObjectStore store, String prefix, String name) {
    List<MariaDbManifest> all = committed(store, prefix, name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The newest committed mariadb-dump (recovery loads those; physical ones it skips). */
  public static Optional<MariaDbManifest> newestLogical(ObjectStore store, String prefix,
      String name) {
    List<MariaDbManifest> all = committed(store, prefix, name).stream()
        .filter(m -> !m.physical()).toList();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  static void deleteTree(Path dir) {
    if (dir == null) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove {}: {}", dir, e.getMessage());
    }
  }
}
