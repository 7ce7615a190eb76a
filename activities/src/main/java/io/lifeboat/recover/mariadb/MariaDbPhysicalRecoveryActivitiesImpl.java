package io.lifeboat.recover.mariadb;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.backup.mariadb.MariaDbClient;
import io.lifeboat.backup.mariadb.MariaDbLoad;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbPhysicalActivitiesImpl;
import io.lifeboat.backup.mariadb.MariaDbStreams;
import io.lifeboat.backup.mariadb.MariaDbTable;
import io.lifeboat.backup.mariadb.ScratchMariaDb;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB recovery from a physical backup, on the server's host. The copy is extracted and
 * prepared in DATADIR.restore-RUN beside the data directory (same file system: the swap is two
 * renames), binlogs are replayed into it on a scratch mariadbd, and only then is the server
 * stopped, its directory renamed to DATADIR.before-TIME (kept) and the copy moved in.
 */
public class MariaDbPhysicalRecoveryActivitiesImpl implements MariaDbPhysicalRecoveryActivities {
  private static final Logger log =
      LoggerFactory.getLogger(MariaDbPhysicalRecoveryActivitiesImpl.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final StoreFactory stores;
  private final MariaDbClient cli;
  private final MariaDbPitrActivitiesImpl pitr;

  public MariaDbPhysicalRecoveryActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.cli = new MariaDbClient(secrets);
    this.pitr = new MariaDbPitrActivitiesImpl(stores, secrets);
  }

  static Path dataDir(MariaDbConfig m) {
    if (m.dataDir() == null) {
      throw FailureKind.CONFIG_INVALID.failure("mariadb " + m.name() + " has no dataDir in the"
          + " config: recovery from a physical backup needs the server's data directory");
    }
    return Path.of(m.dataDir()).toAbsolutePath().normalize();
  }

  static Path restoreDir(Path data, String runKey) {
    return data.resolveSibling(data.getFileName() + ".restore-" + runKey);
  }

  static Path keptDir(Path data, long startedAt) {
    return data.resolveSibling(data.getFileName() + ".before-"
        + STAMP.format(Instant.ofEpochMilli(startedAt)));
  }

  @Override
  public String mariadbPhysicalRestoreDir(MariaDbPhysicalRestoreRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      MariaDbManifest m = req.manifest();
      Path restore = restoreDir(dataDir(req.mariadb()), req.runKey());
      try {
        MariaDbPitrActivitiesImpl.deleteTree(restore); // a killed attempt's partial copy
        Files.createDirectories(restore);
        MariaDbStreams.Download d = MariaDbPhysicalActivitiesImpl.extract(
            stores.forRepository(req.repository()), stores.cipher(req.repository()),
            m.objectKey(), restore, () -> ctx.heartbeat(null));
        MariaDbStreams.check(d, m.objectKey(), m.sha256(), m.storedBytes());
        MariaDbPhysicalActivitiesImpl.prepare(restore, m.objectKey());
        log.info("mariadb {}: backup {} prepared in {}", req.mariadb().name(), m.backupId(),
            restore);
        return restore.toString();
      } catch (IOException e) {
        MariaDbPitrActivitiesImpl.deleteTree(restore);
        throw FailureKind.LOCAL_IO.failure("cannot restore into " + restore + ": " + e);
      } catch (RuntimeException e) {
        MariaDbPitrActivitiesImpl.deleteTree(restore);
        throw e;
      }
    });
  }

  @Override
  public List<MariaDbTable> mariadbPhysicalPrepareCopy(MariaDbPhysicalRestoreRequest req,
      MariaDbReplayPlan plan) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      Runnable beat = () -> ctx.heartbeat(null);
      MariaDbManifest m = req.manifest();
      Path restore = restoreDir(dataDir(req.mariadb()), req.runKey());
      if (!Files.isDirectory(restore)) {
        throw FailureKind.RECOVERY_FAILED.failure("the restored copy " + restore + " is gone");
      }
      Path run = null;
      try {
        run = Files.createTempDirectory("lifeboat-mariadb-physical-recovery");
        try (ScratchMariaDb s = ScratchMariaDb.startOn(run, restore, beat)) {
          if (plan != null) {
            MariaDbConfig c = req.mariadb();
            MariaDbConfig scratch = new MariaDbConfig(c.name(), null, "127.0.0.1", s.port,
                "root", null, c.databases(), c.all());
            pitr.mariadbReplay(new MariaDbReplayRequest(scratch, req.repository(), m,
                req.targetMillis()), plan);
          }
          List<MariaDbTable> tables = MariaDbLoad.tables(s::sql, m.databases());
          if (plan == null && !tables.equals(m.tables())) {
            throw FailureKind.RESTORE_TEST_FAILED.failure("the prepared copy of backup "
                + m.backupId() + " differs from its manifest: "
                + MariaDbRecoveryActivitiesImpl.firstDifference(m.tables(), tables)
                + "; the server was not touched");
          }
          s.shutdown(beat);
          return tables;
        }
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot start the restored copy: " + e);
      } finally {
        MariaDbPitrActivitiesImpl.deleteTree(run);
      }
    });
  }

  @Override
  public String mariadbPhysicalSwapAndStart(MariaDbPhysicalRestoreRequest req) {
    return typed(() -> {
      MariaDbConfig c = req.mariadb();
      Path data = dataDir(c);
      Path restore = restoreDir(data, req.runKey());
      Path kept = keptDir(data, req.startedAt());
      try {
        stop(c, data);
        // Re-runnable: a swap already done has no restored directory left.
        if (Files.exists(restore)) {
          if (Files.exists(data) && !Files.exists(kept)) {
            Files.move(data, kept, StandardCopyOption.ATOMIC_MOVE);
          }
          Files.move(restore, data, StandardCopyOption.ATOMIC_MOVE);
        }
        start(c, data);
        log.info("mariadb {} restarted on backup {}; the damaged directory is kept at {}",
            c.name(), req.manifest().backupId(), kept);
        return kept.toString();
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot swap " + restore + " into " + data + ": " + e);
      }
    });
  }

  /**
   * SHUTDOWN when the server answers, then waits for its process (from @@pid_file) to end. A
   * server whose @@datadir is not the configured one is refused: the swap would miss it.
   */
  private void stop(MariaDbConfig c, Path data) {
    MariaDbClient.Result r = MariaDbClient.run(cli.command(c, "mariadb", "--batch",
        "--skip-column-names", "-e", "SELECT @@datadir, @@pid_file"), 60);
    if (r.exit() != 0) {
      var f = MariaDbClient.classify(c.where(), c.passwordEnv(), "mariadb", r.both());
      if (f.getType().endsWith("MARIADB_UNAVAILABLE")) return; // already down
      throw f;
    }
    String[] cols = r.out().strip().split("\t");
    Path live = Path.of(cols[0]).toAbsolutePath().normalize();
    if (!live.equals(data)) {
      throw FailureKind.CONFIG_INVALID.failure(c.where() + " runs on datadir " + live
          + ", the config says dataDir " + data + "; nothing was changed");
    }
    Path pidFile = Path.of(cols[1]);
    if (!pidFile.isAbsolute()) pidFile = live.resolve(pidFile);
    String pid = null;
    try {
      pid = Files.readString(pidFile).strip();
    } catch (IOException e) {
      log.warn("cannot read {}: {}; waiting for the port to close instead", pidFile, e.toString());
    }
    // The connection may drop before the OK comes back: the wait below is the judge.
    MariaDbClient.Result down = MariaDbClient.run(cli.command(c, "mariadb", "-e",
        "SHUTDOWN"), 60);
    if (down.exit() != 0 && down.both().contains("ERROR 1227")) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure(c.where() + " refused SHUTDOWN: the user"
          + " needs the SHUTDOWN privilege; nothing was changed");
    }
    long deadline = System.currentTimeMillis() + 600_000;
    while (System.currentTimeMillis() < deadline) {
      boolean gone = pid != null ? !Files.exists(Path.of("/proc", pid))
          : MariaDbClient.run(cli.command(c, "mariadb", "-e", "SELECT 1"), 30).exit() != 0;
      if (gone) return;
      Activity.getExecutionContext().heartbeat(null);
      sleep(100);
    }
    throw FailureKind.MARIADB_TOOL_FAILED.failure(c.where() + " did not stop in 600 s after"
        + " SHUTDOWN");
  }

  /** mariadbd in its own session (it outlives the worker), as mysql when the worker is root. */
  private void start(MariaDbConfig c, Path data) throws IOException {
    if (ScratchMariaDb.root()) {
      MariaDbClient.Result chown = MariaDbClient.run(new ProcessBuilder("chown", "-R",
          "mysql:mysql", data.toString()), 3600);
      if (chown.exit() != 0) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot hand " + data + " to the mysql"
            + " user: " + MariaDbClient.lastLine(chown.both()));
      }
    }
    List<String> argv = new ArrayList<>(List.of("setsid", "mariadbd"));
    if (c.defaultsFile() != null) argv.add("--defaults-file=" + c.defaultsFile());
    if (ScratchMariaDb.root()) argv.add("--user=mysql");
    argv.addAll(List.of("--datadir=" + data, "--port=" + c.port()));
    Process p;
    try {
      p = new ProcessBuilder(argv).directory(data.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot start mariadbd: " + e.getMessage()
          + " (apt-get install mariadb-server)");
    }
    p.getOutputStream().close();
    long deadline = System.currentTimeMillis() + 600_000;
    while (System.currentTimeMillis() < deadline) {
      MariaDbClient.Result r = MariaDbClient.run(cli.command(c, "mariadb", "-e", "SELECT 1"),
          30);
      if (r.exit() == 0) return;
      if (!p.isAlive() && p.exitValue() != 0) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("mariadbd did not start on " + data
            + " (exit " + p.exitValue() + "); see its error log");
      }
      Activity.getExecutionContext().heartbeat(null);
      sleep(200);
    }
    throw FailureKind.MARIADB_TOOL_FAILED.failure(c.where() + " did not answer in 600 s after"
        + " mariadbd was started on " + data);
  }

  @Override
  public int mariadbPhysicalValidate(MariaDbPhysicalRestoreRequest req,
      List<MariaDbTable> expected) {
    // CHECKSUM TABLE of a big database outlasts the step's heartbeat timeout: beat meanwhile.
    return io.lifeboat.run.Keepalive.during(() -> typed(() -> {
      MariaDbConfig c = req.mariadb();
      List<MariaDbTable> now = MariaDbLoad.tables(sql -> MariaDbClient.run(
          cli.command(c, "mariadb", "--batch", "--skip-column-names", "-e", sql), 3600),
          req.manifest().databases());
      if (!now.equals(expected)) {
        throw FailureKind.RECOVERY_FAILED.failure(c.where() + " after the swap differs from the"
            + " restored copy: " + MariaDbRecoveryActivitiesImpl.firstDifference(expected, now)
            + "; the damaged directory is kept at "
            + keptDir(dataDir(c), req.startedAt()));
      }
      return now.size();
    }));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    }
  }
}
