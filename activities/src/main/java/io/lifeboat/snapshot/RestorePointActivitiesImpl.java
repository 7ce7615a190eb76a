package io.lifeboat.snapshot;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.wal.WalArchive;
import io.temporal.activity.Activity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Restore points: pg_create_restore_point on each database, the manifest in the repository. */
public class RestorePointActivitiesImpl implements RestorePointActivities {
  /** How long a point's segment may take to reach the archive. */
  static final long WAIT_MILLIS = 300_000;

  private final StoreFactory stores;
  private final PgTools pg;

  public RestorePointActivitiesImpl(StoreFactory stores, PgTools pg) {
    this.stores = stores;
    this.pg = pg;
  }

  @Override
  public void requireNewRestorePoint(RepositoryConfig repo, String name) {
    typed(() -> {
      if (stores.forRepository(repo).exists(RepositoryLayout.pointKey(repo.prefix(), name))) {
        throw FailureKind.RECOVERY_TARGET_INVALID.failure("restore point " + name
            + " already exists; pick another name");
      }
      return null;
    });
  }

  @Override
  public DatabasePoint createRestorePoint(RepositoryConfig repo, WalConfig wal,
      DatabaseConfig db, String name) {
    return typed(() -> {
      String lsn;
      String segment;
      try (Connection c = pg.connect(db, "lifeboat snapshot");
           Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("select current_setting('archive_mode')")) {
          rs.next();
          if ("off".equals(rs.getString(1))) {
            return new DatabasePoint(db.name(), null, null, "archive_mode is off: no WAL to"
                + " recover a point from");
          }
        }
        // The point, then a switch: the segment holding it is closed and goes to the archive
        // now, not when it fills up.
        try (var ps = c.prepareStatement("select p::text, pg_walfile_name(p)"
            + " from pg_create_restore_point(?) p")) {
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            lsn = rs.getString(1);
            segment = rs.getString(2);
          }
        }
        s.execute("select pg_switch_wal()");
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
      ObjectStore store = stores.forRepository(repo);
      WalArchive archive = new WalArchive(store, repo.prefix(), db.name(),
          wal.compressionLevel(), stores.cipher(repo));
      long t0 = System.currentTimeMillis();
      while (archive.info(segment).isEmpty()) {
        if (System.currentTimeMillis() - t0 > WAIT_MILLIS) {
          throw FailureKind.WAL_NOT_FOUND.failure("restore point " + name + " of "
              + db.name() + " is in " + segment + ", which was not archived within "
              + WAIT_MILLIS / 1000 + " s of the switch: check archive_command");
        }
        Activity.getExecutionContext().heartbeat(segment);
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw FailureKind.LOCAL_IO.failure("interrupted waiting for " + segment);
        }
      }
      return new DatabasePoint(db.name(), lsn, segment, null);
    });
  }

  @Override
  public String writeRestorePointManifest(RepositoryConfig repo, RestorePointManifest m) {
    return typed(() -> {
      String key = RepositoryLayout.pointKey(repo.prefix(), m.name());
      RestorePoints.write(stores.forRepository(repo), key, m);
      return key;
    });
  }
}
