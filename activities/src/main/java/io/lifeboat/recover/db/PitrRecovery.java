package io.lifeboat.recover.db;

import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.db.PitrRequest;
import io.lifeboat.recover.db.RecoveryTarget;
import io.lifeboat.recover.db.ReplayResult;
import io.lifeboat.recover.db.RestoreProgress;
import io.lifeboat.recover.db.ScratchCluster;
import io.lifeboat.recover.db.SwapResult;
import io.lifeboat.wal.WalNames;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Every step can be re-run: a marker file in the new directory ({@value #MARKER}) records
 * how far it got (downloaded, replaying, promoted, swapped), and a running scratch server is
 * found again by {@code pg_ctl status}.
 */
final class PitrRecovery {
  private static final Logger log = LoggerFactory.getLogger(PitrRecovery.class);
  static final String MARKER = "lifeboat.recovery";
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final PgTools pg;
  private final Connections connections;

  PitrRecovery(StoreFactory stores, PgTools pg, Connections connections) {
    this.stores = stores;
    this.pg = pg;
    this.connections = connections;
  }

  private ClusterControl control(DatabaseConfig db) {
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
    if (state(dir).equals("downloaded " + req.plan().backupId()) || replayingOrLater(dir)) {
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
      writeState(control, dir, "downloaded " + req.plan().backupId());
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot build " + dir + ": " + e.getMessage());
    }
  }

  private void extract(PitrRequest req, ClusterControl control, Path dir,
      ActivityExecutionContext ctx) throws IOException {
    ObjectStore store = stores.forRepository(req.repository());
    Process tar = new ProcessBuilder(control.asUser(List.of("tar", "-x", "-f", "-", "-C",
        dir.toString()))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
    if (Files.exists(resultFile) && state(dir).startsWith("promoted")) {
      return readResult(resultFile);
    }
    if (!state(dir).startsWith("downloaded") && !state(dir).startsWith("replaying")) {
      throw FailureKind.RECOVERY_FAILED.failure(dir + " holds no downloaded base backup");
    }
    WalArchive archive = new WalArchive(stores.forRepository(req.repository()),
        req.repository().prefix(), req.database().name(), 3, stores.cipher(req.repository()));
    Path logFile = work.resolve("scratch.log");
    try {
      if (!control.running(dir)) {
        List<String> index = archive.list().stream().map(WalArchive.Entry::name).sorted().toList();
        WalFeeder.prepareSpool(work, control, index);
        if (state(dir).startsWith("downloaded")) {
          Path signal = dir.resolve("recovery.signal");
          Files.write(signal, new byte[0]);
          control.own(signal);
          writeState(control, dir, "replaying " + req.plan().backupId());
        }
        // If an earlier attempt's server promoted and then stopped, recovery.signal is gone and
        // it simply starts as a primary: the wait below then ends at once.
        control.start(dir, sc.scratchPort(), logFile, serverOptions(req, work));
      }
      List<String> index = Files.readAllLines(work.resolve("index"));
      try (WalFeeder feeder = new WalFeeder(archive, work, control, index, 16, 3,
          new Throttle(req.database().recovery().downloadMbPerSecond())).start()) {
        ReplayResult r = awaitPromotion(req, control, dir, logFile, feeder, ctx,
            () -> endOfArchiveCovers(req, archive, index));
        Files.writeString(resultFile, r.endLsn() + "\n" + r.timeline() + "\n" + r.walSegments()
            + "\n" + (r.stoppedAt() == null ? "" : r.stoppedAt()) + "\n");
        writeState(control, dir, "promoted " + req.plan().backupId());
        return r;
      }
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("recovery files in " + work + ": " + e.getMessage());
    }
  }

  /**
   * The recovery settings go on the server's command line, not into its config files: the
   * swapped-in directory then carries no trace of them. Archiving is off on the scratch
   * server, so an abandoned attempt can never put a timeline into the archive.
   */
  private static List<String> serverOptions(PitrRequest req, Path work) {
    return serverOptions(req, work, true);
  }

  private static List<String> serverOptions(PitrRequest req, Path work, boolean withTarget) {
    List<String> o = new ArrayList<>();
    o.add("-c archive_mode=off");
    o.add("-c hot_standby=on");
    o.add("-c restore_command='" + sh(work.resolve("restore.sh").toString()) + " %f %p'");
    o.add("-c recovery_target_action=promote");
    o.add("-c recovery_target_timeline=latest");
    RecoveryTarget t = req.target();
    if (!withTarget) return o;
    if (RecoveryTarget.TIME.equals(t.mode())) {
      o.add("-c recovery_target_time='" + pgTime(t.time()) + "'");
    } else if (RecoveryTarget.LSN.equals(t.mode())) {
      o.add("-c recovery_target_lsn='" + sh(t.lsn()) + "'");
    }
    return o;
  }

  /** PostgreSQL's timestamptz input does not take ISO's T and Z: 2026-11-21 09:14:00.5+00. */
  static String pgTime(String isoInstant) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(isoInstant));
  }

  /** pg_ctl passes -o through sh: values go inside single quotes and must not hold one. */
  private static String sh(String s) {
    if (s.contains("'")) {
      throw FailureKind.CONFIG_INVALID.failure("a recovery path or target contains a quote: " + s);
    }
    return s;
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
        if (reachedEnd == null && endedBeforeTarget(logFile)
            && (reachedEnd = endOfArchive.get()) != null) {
          // No commit after the target is archived, yet the archive reaches past it: the data
          // at the target is all of the archive. PostgreSQL cannot be told "up to T, and the
          // end of the WAL is fine", so replay again without a target, to the end.
          log.info("{}: {}; replaying to the end of the archive", req.database().name(),
              reachedEnd);
          control.start(dir, req.cluster().scratchPort(), logFile,
              serverOptions(req, Path.of(req.cluster().spoolDirectory()), false));
          checks = 0;
          continue;
        }
        throw serverDied(logFile);
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
                  reachedEnd != null ? reachedEnd : stoppingLine(logFile));
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

  private static boolean endedBeforeTarget(Path logFile) {
    return tail(logFile).lines().anyMatch(l -> l.contains(ENDED_BEFORE_TARGET));
  }

  private static final String ENDED_BEFORE_TARGET =
      "recovery ended before configured recovery target was reached";

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

  private static RuntimeException serverDied(Path logFile) {
    String logText = tail(logFile);
    String fatal = logText.lines().filter(l -> l.contains("FATAL") || l.contains("PANIC"))
        .reduce((a, b) -> b).orElse(ClusterControl.lastLine(logText));
    if (fatal.contains(ENDED_BEFORE_TARGET)) {
      return FailureKind.RECOVERY_TARGET_INVALID.failure("the archive ends before the target: "
          + fatal.strip());
    }
    return FailureKind.RECOVERY_FAILED.failure("the recovering server stopped: " + fatal.strip()
        + " (log " + logFile + ")");
  }

  private static String stoppingLine(Path logFile) {
    return tail(logFile).lines().filter(l -> l.contains("recovery stopping"))
        .map(l -> l.substring(l.indexOf("recovery stopping"))).reduce((a, b) -> b).orElse(null);
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
  // swap

  SwapResult swap(PitrRequest req) {
    ClusterControl control = control(req.database());
    ScratchCluster sc = req.cluster();
    Path data = Path.of(sc.dataDirectory());
    Path fresh = Path.of(sc.newDirectory());
    Path kept = data.resolveSibling(data.getFileName() + ".lifeboat-replaced-" + req.recoveryId());
    Path work = Path.of(sc.spoolDirectory());
    try {
      if (!Files.exists(fresh) && state(data).startsWith("swapped " + req.recoveryId())) {
        // An earlier attempt swapped; make sure the server runs.
        startLive(req, control, data, work);
        return new SwapResult(Files.exists(kept) ? kept.toString() : "(no old directory)",
            data.toString());
      }
      if (!state(fresh).startsWith("promoted")) {
        throw FailureKind.RECOVERY_FAILED.failure(fresh + " has not been recovered; not swapped in");
      }
      control.stop(fresh);
      markHistoryForArchiving(control, fresh);
      // A retry after a crash between the two renames finds the old directory already aside.
      boolean hadOld = Files.exists(data) || Files.exists(kept);
      if (Files.exists(data)) {
        control.stop(data);
        Files.move(data, kept, StandardCopyOption.ATOMIC_MOVE);
      } else if (answers(req.database())) {
        throw FailureKind.RECOVERY_FAILED.failure("a server still answers on port "
            + req.database().port() + " though its data directory " + data + " is gone; stop it"
            + " and run the recovery again (the recovered copy is kept in " + fresh + ")");
      }
      Files.move(fresh, data, StandardCopyOption.ATOMIC_MOVE);
      writeState(control, data, "swapped " + req.recoveryId());
      startLive(req, control, data, work);
      cleanSpool(work);
      return new SwapResult(hadOld ? kept.toString() : "(the old directory was gone)",
          data.toString());
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("swapping " + fresh + " into " + data + ": " + e);
    }
  }

  private void startLive(PitrRequest req, ClusterControl control, Path data, Path work) {
    if (!control.running(data)) {
      applySettings(control, data, req.database().recovery().serverSettings());
      control.start(data, req.database().port(), work.resolve("server.log"), List.of());
    }
    for (int i = 0; i < 600; i++) {
      if (answers(req.database())) return;
      sleep(500);
    }
    throw FailureKind.CLUSTER_CONTROL_FAILED.failure("the recovered server in " + data
        + " does not answer on port " + req.database().port() + " (log "
        + work.resolve("server.log") + ")");
  }

  /**
   * recovery.serverSettings into postgresql.auto.conf (where ALTER SYSTEM writes, so they
   * survive restarts), each line once: a retry after a crash does not repeat them.
   */
  static void applySettings(ClusterControl control, Path data, List<String> settings) {
    if (settings.isEmpty()) return;
    Path auto = data.resolve("postgresql.auto.conf");
    try {
      String text = Files.exists(auto) ? Files.readString(auto) : "";
      StringBuilder add = new StringBuilder();
      for (String s : settings) {
        int eq = s.indexOf('=');
        String line = s.substring(0, eq).strip() + " = '" + s.substring(eq + 1).strip() + "'";
        if (!text.lines().anyMatch(l -> l.strip().equals(line))) add.append(line).append('\n');
      }
      if (add.length() == 0) return;
      Files.writeString(auto, (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
          + "# lifeboat recovery: databases[].recovery.serverSettings\n" + add,
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      control.own(auto);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot write " + auto + ": " + e.getMessage());
    }
  }

  private boolean answers(DatabaseConfig db) {
    try (Connection c = connections.open(db, 0, "postgres")) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * The scratch server promoted with archiving off, so the new timeline's history file has no
   * .ready mark; the live server must archive it, or a later recovery cannot follow the
   * timeline it now writes.
   */
  private static void markHistoryForArchiving(ClusterControl control, Path dir) throws IOException {
    Path walDir = dir.resolve("pg_wal");
    Path status = walDir.resolve("archive_status");
    try (Stream<Path> files = Files.list(walDir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (!WalNames.isHistory(name)) continue;
        if (Files.exists(status.resolve(name + ".done")) || Files.exists(status.resolve(name + ".ready"))) {
          continue;
        }
        Path ready = status.resolve(name + ".ready");
        Files.write(ready, new byte[0]);
        control.own(ready);
      }
    }
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
  private static void cleanSpool(Path work) throws IOException {
    for (String d : List.of("wal", "want", "tmp")) deleteTree(work.resolve(d));
  }

  // ------------------------------------------------------------------------------------------
  // helpers

  static String state(Path dir) {
    try {
      return Files.readString(dir.resolve(MARKER)).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean replayingOrLater(Path dir) {
    String s = state(dir);
    return s.startsWith("replaying") || s.startsWith("promoted");
  }

  private static void writeState(ClusterControl control, Path dir, String state)
      throws IOException {
    Path tmp = dir.resolve(MARKER + ".tmp");
    Files.writeString(tmp, state + "\n", StandardCharsets.UTF_8);
    control.own(tmp);
    Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static String tail(Path file) {
    try {
      byte[] all = Files.readAllBytes(file);
      int from = Math.max(0, all.length - 16 * 1024);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.RECOVERY_FAILED.failure("interrupted");
    }
  }
}
