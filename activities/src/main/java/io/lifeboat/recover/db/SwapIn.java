package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.wal.WalNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last step of a point-in-time recovery: the recovered directory replaces the damaged one
 * by two renames (the damaged one kept as {@code DATA.lifeboat-replaced-ID}), the live server
 * starts on it with recovery.serverSettings, and the new timeline's history file is marked for
 * archiving. A retry after a crash between the renames, or after the swap, finishes the job.
 */
final class SwapIn {
  private final PgTools pg;
  private final Connections connections;

  SwapIn(PgTools pg, Connections connections) {
    this.pg = pg;
    this.connections = connections;
  }

  SwapResult swap(PitrRequest req) {
    ClusterControl control = PitrRecovery.control(req.database(), pg);
    ScratchCluster sc = req.cluster();
    Path data = Path.of(sc.dataDirectory());
    Path fresh = Path.of(sc.newDirectory());
    Path kept = data.resolveSibling(data.getFileName() + ".lifeboat-replaced-" + req.recoveryId());
    Path work = Path.of(sc.spoolDirectory());
    try {
      if (!Files.exists(fresh)
          && RecoveryMarker.state(data).startsWith("swapped " + req.recoveryId())) {
        // An earlier attempt swapped; make sure the server runs.
        startLive(req, control, data, work);
        return new SwapResult(Files.exists(kept) ? kept.toString() : "(no old directory)",
            data.toString());
      }
      if (!RecoveryMarker.state(fresh).startsWith("promoted")) {
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
      RecoveryMarker.writeState(control, data, "swapped " + req.recoveryId());
      startLive(req, control, data, work);
      PitrRecovery.cleanSpool(work);
      return new SwapResult(hadOld ? kept.toString() : "(the old directory was gone)",
          data.toString());
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("swapping " + fresh + " into " + data + ": " + e);
    }
  }

  private void startLive(PitrRequest req, ClusterControl control, Path data, Path work) {
    if (!control.running(data)) {
      RecoverySettings.applySettings(control, data, req.database().recovery().serverSettings());
      control.start(data, req.database().port(), work.resolve("server.log"), List.of());
    }
    for (int i = 0; i < 600; i++) {
      if (answers(req.database())) return;
      PitrRecovery.sleep(500);
    }
    throw FailureKind.CLUSTER_CONTROL_FAILED.failure("the recovered server in " + data
        + " does not answer on port " + req.database().port() + " (log "
        + work.resolve("server.log") + ")");
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
}
