package io.lifeboat.recover.db;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.failure.FailureKind;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

public class DatabaseRecoveryActivitiesImpl implements DatabaseRecoveryActivities {
  private final StoreFactory stores;
  private final PgTools pg;
  private final Connections connections;
  private final RecoveryPlanner planner;
  private final DumpRecovery dumps;
  private final PitrRecovery pitr;
  private final Verifier verifier;
  private final ApplicationControl apps = new ApplicationControl();

  public DatabaseRecoveryActivitiesImpl(StoreFactory stores, PgTools pg) {
    this.stores = stores;
    this.pg = pg;
    this.connections = new Connections(pg);
    this.planner = new RecoveryPlanner(new PitrPlanner());
    this.dumps = new DumpRecovery(pg, connections);
    this.pitr = new PitrRecovery(stores, pg, connections);
    this.verifier = new Verifier(connections);
  }

  @Override
  public RecoveryPlan plan(PlanRequest request) {
    return quick(() -> {
      ObjectStore store = stores.forRepository(request.repository());
      RecoveryPlan plan = planner.plan(request, store);
      // Before anything is touched: a backup written with another key (or an encrypted one
      // with no key configured) is refused here, by name, not halfway through a restore.
      stores.cipher(request.repository()).requireReadable(store, plan.objectKey(),
          (plan.pitr() ? "base backup " : "backup ") + plan.backupId() + " of "
          + request.database().name());
      return plan;
    });
  }

  @Override
  public ClusterFacts assess(DatabaseConfig db) {
    return quick(() -> {
      try (Connection c = connections.open(db, 0, db.name()); Statement s = c.createStatement()) {
        return facts(s, true);
      } catch (SQLException e) {
        FailureKind kind = PgFailures.fromSql(db, e).getType().equals(
            FailureKind.UNKNOWN_DATABASE.type()) ? FailureKind.UNKNOWN_DATABASE : null;
        if (kind == FailureKind.UNKNOWN_DATABASE) {
          // A dropped database is what a recovery is for: the server itself answers.
          try (Connection c = connections.open(db, 0, "postgres");
               Statement s = c.createStatement()) {
            ClusterFacts f = facts(s, false);
            return new ClusterFacts(true, f.serverVersion(), 0, f.dataDirectory(),
                "database " + db.name() + " does not exist");
          } catch (SQLException e2) {
            return unreachable(db, e2);
          }
        }
        return unreachable(db, e);
      }
    });
  }

  private static ClusterFacts facts(Statement s, boolean measure) throws SQLException {
    String version;
    long size = 0;
    try (ResultSet rs = s.executeQuery("select 1, current_setting('server_version'), "
        + (measure ? "pg_database_size(current_database())" : "0"))) {
      rs.next();
      version = rs.getString(2);
      size = rs.getLong(3);
    }
    String dataDirectory = null;
    try (ResultSet rs = s.executeQuery("select current_setting('data_directory')")) {
      if (rs.next()) dataDirectory = rs.getString(1);
    } catch (SQLException notAllowed) {
      // Needs superuser or pg_read_all_settings; the config or the base manifest may say it.
    }
    return new ClusterFacts(true, version, size, dataDirectory, null);
  }

  /** Auth and config problems stop the recovery; a server that is down is a fact. */
  private static ClusterFacts unreachable(DatabaseConfig db, SQLException e) {
    ApplicationFailure f = PgFailures.fromSql(db, e);
    if (f.getType().equals(FailureKind.PG_AUTH_FAILED.type())) throw f;
    return new ClusterFacts(false, null, 0, null, f.getOriginalMessage());
  }

  @Override
  public ScratchCluster prepareScratch(PitrRequest request) {
    return quick(() -> pitr.prepare(request));
  }

  @Override
  public void downloadBase(PitrRequest request) {
    typed(() -> {
      pitr.download(request, Activity.getExecutionContext());
      return null;
    });
  }

  @Override
  public ReplayResult replay(PitrRequest request) {
    return typed(() -> pitr.replay(request, Activity.getExecutionContext()));
  }

  @Override
  public VerifyReport verify(VerifyRequest request) {
    return quick(() -> verifier.verify(request));
  }

  @Override
  public SwapResult swapDataDirectory(PitrRequest request) {
    return quick(() -> pitr.swap(request));
  }

  @Override
  public void discardScratch(PitrRequest request) {
    quick(() -> {
      pitr.discard(request);
      return null;
    });
  }

  @Override
  public void restoreDump(DumpRestoreRequest request) {
    typed(() -> {
      try {
        dumps.restore(request, stores.forRepository(request.repository()),
            stores.cipher(request.repository()), Activity.getExecutionContext());
      } catch (IOException e) {
        throw FailureKind.PG_TOOL_FAILED.failure("restore stream failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
      }
      return null;
    });
  }

  @Override
  public SwapResult swapDatabase(DumpRestoreRequest request) {
    return quick(() -> dumps.swap(request));
  }

  @Override
  public void discardScratchDatabase(DumpRestoreRequest request) {
    quick(() -> {
      dumps.discard(request);
      return null;
    });
  }

  @Override
  public String stopApplication(ApplicationRequest request) {
    return quick(() -> apps.stop(request.database().recovery().application()));
  }

  @Override
  public String startApplication(ApplicationRequest request) {
    return quick(() -> apps.start(request.database().recovery().application()));
  }

  @Override
  public String healthCheck(ApplicationRequest request) {
    return quick(() -> {
      DatabaseConfig db = request.database();
      try (Connection c = connections.open(db, 0, db.name()); Statement s = c.createStatement()) {
        s.execute("select 1");
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
      String app = apps.health(db.recovery().application());
      return "SELECT 1 on " + db.name() + " answers" + (app.isEmpty() ? "" : "; " + app);
    });
  }

  /** A step that keeps no heartbeat details: heartbeats while it runs (see Keepalive). */
  static <T> T quick(Supplier<T> body) {
    return io.lifeboat.run.Keepalive.during(() -> typed(body));
  }
}
