package io.lifeboat.recover.mariadb;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.backup.mariadb.MariaDbBackupActivitiesImpl;
import io.lifeboat.backup.mariadb.MariaDbBinlogSegment;
import io.lifeboat.backup.mariadb.MariaDbClient;
import io.lifeboat.backup.mariadb.MariaDbLayout;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbStreams;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CommitMark;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Binlog archive and point-in-time replay. A binlog is archived once closed (FLUSH BINARY LOGS
 * closes the current one), read over the replication protocol, so from any machine; the replay
 * cuts exactly at the first transaction after the target (a GTID event's position), not at a
 * second boundary of --stop-datetime.
 */
public class MariaDbPitrActivitiesImpl implements MariaDbPitrActivities {
  private final StoreFactory stores;
  private final MariaDbClient cli;
  private final ObjectMapper json = new ObjectMapper();

  public MariaDbPitrActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.cli = new MariaDbClient(secrets);
  }

  @Override
  public List<String> mariadbArchiveBinlogs(MariaDbConfig m, RepositoryConfig repo) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(repo);
      cli.sql(m, "FLUSH BINARY LOGS");
      List<String> logs = new ArrayList<>();
      for (String l : MariaDbClient.lines(cli.sql(m, "SHOW BINARY LOGS"))) {
        logs.add(l.split("\t")[0]);
      }
      if (logs.isEmpty()) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure(m.where() + " writes no binlog (log_bin"
            + " is off): nothing to archive, no point-in-time recovery");
      }
      List<String> archived = new ArrayList<>();
      // The gap check: the server's oldest binlog must follow the archive's newest one, or
      // binlogs were purged before they were archived (found once: the next pass has them).
      List<String> before = archivedFiles(store, repo.prefix(), m.name());
      String gap = before.isEmpty() ? null
          : gap(before.get(before.size() - 1), logs.get(0));
      Path scratch = null;
      try {
        scratch = Files.createTempDirectory("lifeboat-mariadb-binlog");
        for (String file : logs.subList(0, logs.size() - 1)) { // the last one is still open
          if (!store.exists(MariaDbLayout.binlogMarkKey(repo.prefix(), m.name(), file))) {
            archive(m, repo, store, scratch, file, () -> ctx.heartbeat(null));
          }
          archived.add(file);
        }
        if (gap != null) {
          throw FailureKind.WAL_GAP.failure("the binlog archive of " + m.where() + " has a gap:"
              + " " + gap + " were purged from the server before they were archived;"
              + " point-in-time recovery cannot cross it: take a new backup now");
        }
        return archived;
      } catch (IOException e) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("binlog archive failed: " + e);
      } finally {
        deleteTree(scratch);
      }
    });
  }

  /** The archived binlog files of a server (their commit marks), sorted. */
  static List<String> archivedFiles(ObjectStore store, String prefix, String name) {
    List<String> files = new ArrayList<>();
    for (String key : store.list(MariaDbLayout.binlogRoot(prefix, name))) {
      if (key.endsWith(".json")) {
        files.add(key.substring(key.lastIndexOf('/') + 1, key.length() - ".json".length()));
      }
    }
    files.sort(null);
    return files;
  }

  /** The missing files between two binlogs ("f.000004 to f.000006"), or null when none. */
  static String gap(String earlier, String later) {
    int dot = earlier.lastIndexOf('.');
    if (dot < 0 || later.lastIndexOf('.') != dot
        || !earlier.substring(0, dot).equals(later.substring(0, dot))) {
      return null; // another base name: not comparable
    }
    try {
      String digits = earlier.substring(dot + 1);
      long a = Long.parseLong(digits);
      long b = Long.parseLong(later.substring(dot + 1));
      if (b <= a + 1) return null;
      String fmt = "%0" + digits.length() + "d";
      String base = earlier.substring(0, dot + 1);
      return b == a + 2 ? base + String.format(fmt, a + 1)
          : base + String.format(fmt, a + 1) + " to " + base + String.format(fmt, b - 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void archive(MariaDbConfig m, RepositoryConfig repo, ObjectStore store, Path dir,
      String file, Runnable beat) throws IOException {
    MariaDbClient.Result r = MariaDbClient.run(cli.command(m, "mariadb-binlog",
        "--read-from-remote-server", "--raw", "--result-file=" + dir + "/", file)
        .directory(dir.toFile()), 3600);
    Path raw = dir.resolve(file);
    if (r.exit() != 0 || !Files.exists(raw)) {
      throw MariaDbClient.classify(m.where(), m.passwordEnv(), "mariadb-binlog " + file,
          r.both());
    }
    String key = MariaDbLayout.binlogKey(repo.prefix(), m.name(), file);
    MessageDigest sha = sha();
    String uploadId = store.startUpload(key);
    PartUploader sink = new PartUploader(store, key, uploadId, repo.partSizeMb() * 1024 * 1024,
        repo.maxUploadMbPerSecond() * 1024L * 1024L, null, beat);
    boolean done = false;
    try {
      try (OutputStream zstd = new ZstdOutputStream(stores.cipher(repo).seal(sink, key));
           InputStream in = new DigestInputStream(Files.newInputStream(raw), sha)) {
        in.transferTo(zstd);
      }
      store.completeUpload(key, uploadId, sink.finish());
      done = true;
    } finally {
      if (!done) {
        sink.cancel();
        store.abortUpload(key, uploadId);
      }
    }
    MariaDbBinlogSegment seg = new MariaDbBinlogSegment(file, Files.size(raw),
        HexFormat.of().formatHex(sha.digest()), sink.storedBytes(), sink.sha256Hex(), key,
        Instant.now().toString());
    CommitMark.write(store, MariaDbLayout.binlogMarkKey(repo.prefix(), m.name(), file),
        json.writeValueAsBytes(seg));
    Files.delete(raw);
  }

  @Override
  public MariaDbManifest mariadbChooseBackupBefore(RepositoryConfig repo, String name,
      long targetMillis) {
    return typed(() -> {
      List<MariaDbManifest> all = MariaDbBackupActivitiesImpl.committed(
          stores.forRepository(repo), repo.prefix(), name);
      MariaDbManifest best = null;
      for (MariaDbManifest m : all) {
        if (m.binlogFile() != null
            && Instant.parse(m.finishedAt()).toEpochMilli() <= targetMillis) {
          best = m;
        }
      }
      if (best == null) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("no committed mariadb backup of " + name
            + " with a binlog position finished before " + Instant.ofEpochMilli(targetMillis)
            + (all.isEmpty() ? "" : " (the oldest finished " + all.get(0).finishedAt() + ")"));
      }
      return best;
    });
  }

  /** The archived binlogs from the backup's file on, downloaded and checked, in order. */
  private List<Path> fetch(MariaDbReplayRequest req, Path dir, Runnable beat) throws IOException {
    RepositoryConfig repo = req.repository();
    ObjectStore store = stores.forRepository(repo);
    String name = req.mariadb().name();
    List<String> files = new ArrayList<>(archivedFiles(store, repo.prefix(), name).stream()
        .filter(f -> f.compareTo(req.manifest().binlogFile()) >= 0).toList());
    if (files.isEmpty() || !files.get(0).equals(req.manifest().binlogFile())) {
      throw FailureKind.BACKUP_NOT_FOUND.failure("the binlog archive of mariadb " + name
          + " does not hold " + req.manifest().binlogFile() + ", where backup "
          + req.manifest().backupId() + " ends: no replay possible from it");
    }
    for (int i = 1; i < files.size(); i++) {
      String missing = gap(files.get(i - 1), files.get(i));
      if (missing != null) {
        throw FailureKind.WAL_GAP.failure("the binlog archive of mariadb " + name + " lacks "
            + missing + " after backup " + req.manifest().backupId()
            + ": no replay can cross it");
      }
    }
    List<Path> out = new ArrayList<>();
    for (String f : files) {
      MariaDbBinlogSegment seg = io.lifeboat.backup.dump.Manifests.read(store,
          MariaDbLayout.binlogMarkKey(repo.prefix(), name, f), MariaDbBinlogSegment.class);
      Path p = dir.resolve(f);
      MessageDigest sha = sha();
      try (OutputStream o = Files.newOutputStream(p)) {
        MariaDbStreams.Download d = MariaDbStreams.read(store, stores.cipher(repo),
            seg.objectKey(), (buf, n) -> {
              o.write(buf, 0, n);
              sha.update(buf, 0, n);
            }, beat);
        MariaDbStreams.check(d, seg.objectKey(), seg.storedSha256(), seg.storedBytes());
      }
      if (!HexFormat.of().formatHex(sha.digest()).equals(seg.rawSha256())) {
        throw FailureKind.BACKUP_CORRUPT.failure("archived binlog " + f + " does not match the"
            + " SHA-256 it was archived with");
      }
      out.add(p);
    }
    return out;
  }

  @Override
  public MariaDbReplayPlan mariadbPlanReplay(MariaDbReplayRequest req) {
    return typed(() -> withFiles(req, (files, beat) -> plan(req, files)));
  }

  private MariaDbReplayPlan plan(MariaDbReplayRequest req, List<Path> files) {
    long start = req.manifest().binlogPosition();
    int transactions = 0;
    String lastApplied = null;
    for (int i = 0; i < files.size(); i++) {
      List<BinlogEvents.Gtid> gtids = BinlogEvents.gtids(files.get(i), i == 0 ? start : 4);
      for (BinlogEvents.Gtid g : gtids) {
        if (g.epochSecond() * 1000 > req.targetMillis()) {
          return new MariaDbReplayPlan(names(files.subList(0, i + 1)), start, g.position(),
              transactions, lastApplied);
        }
        transactions++;
        lastApplied = Instant.ofEpochSecond(g.epochSecond()).toString();
      }
    }
    // No transaction after the target in the archive: the target must not be newer than the
    // archive's end (the last file was closed by the archive pass, at its rotate event).
    long end = BinlogEvents.lastEventSecond(files.get(files.size() - 1));
    if (req.targetMillis() > end * 1000 + 999) {
      throw FailureKind.BACKUP_NOT_FOUND.failure("--to " + Instant.ofEpochMilli(
          req.targetMillis()) + " is outside the binlog window of mariadb "
          + req.mariadb().name() + ": the archived binlogs end at " + Instant.ofEpochSecond(end));
    }
    return new MariaDbReplayPlan(names(files), start, null, transactions, lastApplied);
  }

  @Override
  public void mariadbReplay(MariaDbReplayRequest req, MariaDbReplayPlan plan) {
    typed(() -> withFiles(req, (files, beat) -> {
      List<String> argv = new ArrayList<>(List.of("mariadb-binlog", "--no-defaults",
          "--start-position=" + plan.startPosition()));
      if (plan.stopPosition() != null) argv.add("--stop-position=" + plan.stopPosition());
      for (Path f : files) {
        if (plan.files().contains(f.getFileName().toString())) argv.add(f.toString());
      }
      Path sql = files.get(0).resolveSibling("replay.sql");
      MariaDbClient.Result dec = MariaDbClient.run(new ProcessBuilder(argv)
          .redirectOutput(sql.toFile()), 3600);
      if (dec.exit() != 0) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("mariadb-binlog failed: "
            + dec.err().strip());
      }
      MariaDbClient.Result r = MariaDbClient.run(cli.command(req.mariadb(), "mariadb")
          .redirectInput(sql.toFile()), 3600 * 6);
      if (r.exit() != 0) {
        throw MariaDbClient.classify(req.mariadb().where(), req.mariadb().passwordEnv(),
            "replaying the binlogs", r.both());
      }
      return null;
    }));
  }

  private interface WithFiles<T> {
    T apply(List<Path> files, Runnable beat) throws IOException;
  }

  private <T> T withFiles(MariaDbReplayRequest req, WithFiles<T> body) {
    var ctx = Activity.getExecutionContext();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("lifeboat-mariadb-replay");
      Runnable beat = () -> ctx.heartbeat(null);
      return body.apply(fetch(req, dir, beat), beat);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("binlog replay: " + e);
    } finally {
      deleteTree(dir);
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(p -> p.getFileName().toString()).toList();
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
