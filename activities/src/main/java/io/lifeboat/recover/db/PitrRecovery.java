package io.lifeboat.recover.db;

import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.wal.WalNames;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Point-in-time recovery into a NEW data directory beside the damaged one. The base backup is
 * extracted there, its server replays WAL to the target on a scratch port and promotes; only
 * after verification are the servers stopped and the directories swapped by two renames. The
 * damaged directory is kept as {@code DATA.lifeboat-replaced-ID}.
 *
 * <p>Every step can be re-run: a marker file in the new directory
 * ({@value RecoveryMarker#MARKER}, see {@link RecoveryMarker}) records
 * how far it got (downloaded, replaying, promoted, swapped), and a running scratch server is
 * found again by {@code pg_ctl status}.
 */
final class PitrRecovery {
  private static final Logger log = LoggerFactory.getLogger(PitrRecovery.class);
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final PgTools pg;
  private final Connections connections;
  private final SwapIn swapIn;

  PitrRecovery(StoreFactory stores, PgTools pg, Connections connections) {
    this.stores = stores;
    this.pg = pg;
    this.connections = connections;
    this.swapIn = new SwapIn(pg, connections);
  }

  private ClusterControl control(DatabaseConfig db) {
    return control(db, pg);
  }

  static ClusterControl control(DatabaseConfig db, PgTools pg) {
    return new ClusterControl(db.recovery().osUser(), db.recovery().binDir(), pg);
  }

  ScratchCluster prepare(PitrRequest req) {
    Path data = Path.of(req.cluster().dataDirectory()).toAbsolutePath().normalize();
    Path parent = data.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw FailureKind.CONFIG_INVALID.failure("the parent of data directory " + data
          + " does not exist; create it (owned by " + req.database().recovery().osUser() + ")");
    }
    String base = data.getFileName().toString();
    return new ScratchCluster(data.toString(),
        parent.resolve(base + ".lifeboat-new-" + req.recoveryId()).toString(),
        parent.resolve(base + ".lifeboat-" + req.recoveryId()).toString(), freePort());
  }

  // ------------------------------------------------------------------------------------------
  // download

  void download(PitrRequest req, ActivityExecutionContext ctx) {
    ClusterControl control = control(req.database());
    Path dir = Path.of(req.cluster().newDirectory());
    Path work = Path.of(req.cluster().spoolDirectory());
    if (RecoveryMarker.state(dir).equals("downloaded " + req.plan().backupId())
        || RecoveryMarker.replayingOrLater(dir)) {
      log.info("base backup {} is already in {}", req.plan().backupId(), dir);
      return;
    }
    try {
      // What a killed attempt left is ours (the name carries this recovery's id): start over.
      deleteTree(dir);
      Files.createDirectories(work);
      control.own(work);
      Files.createDirectories(dir);
      control.own(dir);
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions
          .fromString("rwx------"));
      extract(req, control, dir, ctx);
      Path pgWal = dir.resolve("pg_wal");
      if (!Files.isDirectory(pgWal)) {
        Files.createDirectories(pgWal.resolve("archive_status"));
        control.own(pgWal);
        control.own(pgWal.resolve("archive_status"));
      }
      RecoveryMarker.writeState(control, dir, "downloaded " + req.plan().backupId());
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot build " + dir + ": " + e.getMessage());
    }
  }

  private void extract(PitrRequest req, ClusterControl control, Path dir,
      ActivityExecutionContext ctx) throws IOException {
    ObjectStore store = stores.forRepository(req.repository());
    // From "/": the cluster's OS user may be unable to name the worker's working directory.
    Process tar = new ProcessBuilder(control.asUser(List.of("tar", "-x", "-f", "-", "-C",
        dir.toString()))).directory(new java.io.File("/"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    StderrTail stderr = new StderrTail(tar.getErrorStream(), "tar");
    long total = req.plan().storedBytes();
    Throttle throttle = new Throttle(req.database().recovery().downloadMbPerSecond());
    boolean ok = false;
    try (InputStream obj = store.get(req.plan().objectKey());
         InputStream counted = throttle.wrap(obj);
         ZstdInputStream unzstd = new ZstdInputStream(stores.cipher(req.repository()).open(
             counted, req.plan().objectKey(), "base backup " + req.plan().backupId() + " of "
             + req.database().name()));
         OutputStream toTar = tar.getOutputStream()) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = unzstd.read(buf)) > 0) {
        toTar.write(buf, 0, n);
        ctx.heartbeat(new RestoreProgress("download", throttle.bytes(), total, null, 0));
      }
      ok = true;
    } catch (com.github.luben.zstd.ZstdIOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("base backup " + req.plan().objectKey()
          + " is corrupt: " + e.getMessage());
    } finally {
      if (!ok) tar.destroyForcibly();
    }
    try {
      int exit = tar.waitFor();
      if (exit != 0) {
        throw FailureKind.PG_TOOL_FAILED.failure("tar could not extract " + req.plan().objectKey()
            + " into " + dir + ": " + ClusterControl.lastLine(stderr.text()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
    } finally {
      stderr.close();
    }
  }

  // ------------------------------------------------------------------------------------------
  // replay

  ReplayResult replay(PitrRequest req, ActivityExecutionContext ctx) {
    ClusterControl control = control(req.database());
    ScratchCluster sc = req.cluster();
    Path dir = Path.of(sc.newDirectory());
    Path work = Path.of(sc.spoolDirectory());
    Path resultFile = work.resolve("replay-result");
    if (Files.exists(resultFile) && RecoveryMarker.state(dir).startsWith("promoted")) {
      return readResult(resultFile);
    }
    String state = RecoveryMarker.state(dir);
    if (!state.startsWith("downloaded") && !state.startsWith("replaying")) {
      throw FailureKind.RECOVERY_FAILED.failure(dir + " holds no downloaded base backup");
    }
    WalArchive archive = new WalArchive(stores.forRepository(req.repository()),
        req.repository().prefix(), req.database().name(), 3, stores.cipher(req.repository()));
    Path logFile = work.resolve("scratch.log");
    try {
      if (!control.running(dir)) {
        List<String> index = archive.list().stream().map(WalArchive.Entry::name).sorted().toList();
        WalFeeder.prepareSpool(work, control, index);
        if (RecoveryMarker.state(dir).startsWith("downloaded")) {
          Path signal = dir.resolve("recovery.signal");
          Files.write(signal, new byte[0]);
          control.own(signal);
          RecoveryMarker.writeState(control, dir, "replaying " + req.plan().backupId());
        }
        // If an earlier attempt's server promoted and then stopped, recovery.signal is gone and
        // it simply starts as a primary: the wait below then ends at once.
        control.start(dir, sc.scratchPort(), logFile, RecoverySettings.serverOptions(req, work));
      }
      List<String> index = Files.readAllLines(work.resolve("index"));
      try (WalFeeder feeder = new WalFeeder(archive, work, control, index, 16, 3,
          new Throttle(req.database().recovery().downloadMbPerSecond())).start()) {
        ReplayResult r = awaitPromotion(req, control, dir, logFile, feeder, ctx,
            () -> endOfArchiveCovers(req, archive, index));
        Files.writeString(resultFile, r.endLsn() + "\n" + r.timeline() + "\n" + r.walSegments()
            + "\n" + (r.stoppedAt() == null ? "" : r.stoppedAt()) + "\n");
        RecoveryMarker.writeState(control, dir, "promoted " + req.plan().backupId());
        return r;
      }
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("recovery files in " + work + ": " + e.getMessage());
    }
  }

  private ReplayResult awaitPromotion(PitrRequest req, ClusterControl control, Path dir,
      Path logFile, WalFeeder feeder, ActivityExecutionContext ctx,
      java.util.function.Supplier<String> endOfArchive) {
    String lastLsn = null;
    String reachedEnd = null;
    int checks = 0;
    while (true) {
      ctx.heartbeat(new RestoreProgress("replay", 0, 0, lastLsn, feeder.fetchedCount()));
      if (feeder.error() != null) throw feederFailure(feeder.error());
      if (++checks % 10 == 0 && !control.running(dir)) {
        if (reachedEnd == null && ServerLog.endedBeforeTarget(ServerLog.tail(logFile))
            && (reachedEnd = endOfArchive.get()) != null) {
          // No commit after the target is archived, yet the archive reaches past it: the data
          // at the target is all of the archive. PostgreSQL cannot be told "up to T, and the
          // end of the WAL is fine", so replay again without a target, to the end.
          log.info("{}: {}; replaying to the end of the archive", req.database().name(),
              reachedEnd);
          control.start(dir, req.cluster().scratchPort(), logFile,
              RecoverySettings.serverOptions(req, Path.of(req.cluster().spoolDirectory()), false));
          checks = 0;
          continue;
        }
        throw ServerLog.serverDied(ServerLog.tail(logFile), logFile);
      }
      try (Connection c = connections.open(req.database(), req.cluster().scratchPort(),
          "postgres"); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery(
            "select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")) {
          rs.next();
          lastLsn = rs.getString(2);
          if (!rs.getBoolean(1)) {
            try (ResultSet end = s.executeQuery("select pg_current_wal_lsn()::text,"
                + " pg_walfile_name(pg_current_wal_lsn())")) {
              end.next();
              int tli = Integer.parseUnsignedInt(end.getString(2).substring(0, 8), 16);
              return new ReplayResult(end.getString(1), tli, feeder.fetchedCount(),
                  reachedEnd != null ? reachedEnd
                      : ServerLog.stoppingLine(ServerLog.tail(logFile)));
            }
          }
        }
      } catch (SQLException notYet) {
        // Starting up or not yet consistent: the startup process is still replaying. Whether
        // it died is checked every tenth round above, so a slow start is not taken for one.
      }
      sleep(250);
    }
  }


  /**
   * For a time target that PostgreSQL did not reach: whether the archive it replayed (the
   * spool's index) nevertheless reaches the target, judged by the newest segment's recorded
   * write time ({@link io.lifeboat.repository.RepositoryLayout#META_WRITTEN_AT}). Then
   * no commit between the last archived one and the target exists, and the end of the archive
   * is the data at the target. Returns what the report says, or null when the target is
   * really beyond the archive (or the newest segment predates that record: its whole-second
   * store time cannot prove it).
   */
  static String endOfArchiveCovers(PitrRequest req, WalArchive archive, List<String> index) {
    if (!RecoveryTarget.TIME.equals(req.target().mode())) return null;
    java.time.Instant target = java.time.Instant.parse(req.target().time());
    String newest = index.stream().filter(WalNames::isSegment)
        .max(Comparator.comparingLong(n -> WalNames.segmentNumber(n, PitrPlanner.SEGMENT)))
        .orElse(null);
    if (newest == null) return null;
    java.time.Instant reaches = archive.info(newest).flatMap(WalArchive::writtenAt).orElse(null);
    if (reaches == null || target.isAfter(reaches)) return null;
    return "recovery reached the end of the archive (" + newest + ", written until " + reaches
        + ") with no commit after the target " + target;
  }

  private static RuntimeException feederFailure(RuntimeException e) {
    if (e instanceof io.lifeboat.storage.StorageException se) return se.kind().failure(se.getMessage());
    return FailureKind.S3_UNAVAILABLE.failure("fetching WAL failed: " + e.getMessage());
  }

  private static ReplayResult readResult(Path file) {
    try {
      List<String> l = Files.readAllLines(file);
      return new ReplayResult(l.get(0), Integer.parseInt(l.get(1)), Integer.parseInt(l.get(2)),
          l.size() > 3 && !l.get(3).isEmpty() ? l.get(3) : null);
    } catch (IOException | RuntimeException e) {
      throw FailureKind.LOCAL_IO.failure("cannot read " + file + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------------
  // swap: see SwapIn

  SwapResult swap(PitrRequest req) {
    return swapIn.swap(req);
  }

  // ------------------------------------------------------------------------------------------
  // discard

  void discard(PitrRequest req) {
    ScratchCluster sc = req.cluster();
    if (sc == null || sc.newDirectory() == null) return;
    ClusterControl control = control(req.database());
    Path fresh = Path.of(sc.newDirectory());
    try {
      if (Files.exists(fresh)) {
        control.stop(fresh);
        deleteTree(fresh);
      }
      cleanSpool(Path.of(sc.spoolDirectory()));
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot remove " + fresh + ": " + e.getMessage());
    }
  }

  /** The spool goes; the logs stay for the post-mortem. */
  static void cleanSpool(Path work) throws IOException {
    for (String d : List.of("wal", "want", "tmp")) deleteTree(work.resolve(d));
  }

  // ------------------------------------------------------------------------------------------
  // helpers

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.RECOVERY_FAILED.failure("interrupted");
    }
  }
}
