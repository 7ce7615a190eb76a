package io.lifeboat.recover.mariadb;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.backup.mariadb.MariaDbBackupActivitiesImpl;
import io.lifeboat.backup.mariadb.MariaDbClient;
import io.lifeboat.backup.mariadb.MariaDbLayout;
import io.lifeboat.backup.mariadb.MariaDbLoad;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbStreams;
import io.lifeboat.backup.mariadb.MariaDbTable;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.Activity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB recovery over the client: the stored dump is read back whole before the server is
 * touched; each damaged database's base tables move into DB_before_RUNKEY (RENAME TABLE: no
 * copy, one atomic statement), the emptied database is dropped, the dump recreates it, and every
 * table's CHECKSUM TABLE and row count must equal the manifest's.
 */
public class MariaDbRecoveryActivitiesImpl implements MariaDbRecoveryActivities {
  private static final Logger log = LoggerFactory.getLogger(MariaDbRecoveryActivitiesImpl.class);

  private final StoreFactory stores;
  private final MariaDbClient cli;

  public MariaDbRecoveryActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.cli = new MariaDbClient(secrets);
  }

  @Override
  public MariaDbManifest mariadbChooseBackup(RepositoryConfig repo, String name,
      String backupId) {
    return quick(() -> {
      ObjectStore store = stores.forRepository(repo);
      if (backupId == null) {
        List<MariaDbManifest> all = MariaDbBackupActivitiesImpl.committed(store, repo.prefix(),
            name);
        if (all.isEmpty()) {
          throw FailureKind.BACKUP_NOT_FOUND.failure("no committed mariadb backup of " + name);
        }
        return all.get(all.size() - 1); // either method: the workflow branches on physical()
      }
      String key = MariaDbLayout.manifestKey(repo.prefix(), name, backupId);
      if (!store.exists(key)) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("no committed mariadb backup " + backupId
            + " of " + name);
      }
      return io.lifeboat.backup.dump.Manifests.read(store, key, MariaDbManifest.class);
    });
  }

  @Override
  public void mariadbCheckStored(MariaDbRestoreRequest req) {
    typed(() -> {
      var ctx = Activity.getExecutionContext();
      MariaDbManifest m = req.manifest();
      cli.sql(req.mariadb(), "SELECT 1");
      MariaDbStreams.Download d = MariaDbStreams.read(stores.forRepository(req.repository()),
          stores.cipher(req.repository()), m.objectKey(), (buf, n) -> { },
          () -> ctx.heartbeat(null));
      MariaDbStreams.check(d, m.objectKey(), m.sha256(), m.storedBytes());
      return null;
    });
  }

  /** DB_before_RUNKEY, cut to MariaDB's 64 characters. */
  static String keptName(String db, String runKey) {
    String suffix = "_before_" + runKey;
    return (db.length() + suffix.length() > 64 ? db.substring(0, 64 - suffix.length()) : db)
        + suffix;
  }

  @Override
  public Map<String, String> mariadbSetAside(MariaDbRestoreRequest req) {
    return quick(() -> {
      MariaDbConfig m = req.mariadb();
      Map<String, String> kept = new LinkedHashMap<>();
      for (String db : req.manifest().databases()) {
        String k = keptName(db, req.runKey());
        boolean live = exists(m, db);
        if (!live) {
          if (exists(m, k)) kept.put(db, k); // set aside by an earlier attempt
          continue;
        }
        String q = MariaDbClient.literal(db);
        // RENAME TABLE refuses to move a table with triggers to another database: they go
        // (the backup has the good ones), the data moves.
        for (String trigger : MariaDbClient.lines(cli.sql(m, "SELECT trigger_name FROM"
            + " information_schema.triggers WHERE trigger_schema = " + q))) {
          cli.sql(m, "DROP TRIGGER IF EXISTS " + MariaDbClient.quote(db) + "."
              + MariaDbClient.quote(trigger));
        }
        List<String> tables = MariaDbClient.lines(cli.sql(m,
            MariaDbClient.baseTablesSql(List.of(db))));
        cli.sql(m, "CREATE DATABASE IF NOT EXISTS " + MariaDbClient.quote(k));
        if (!tables.isEmpty()) {
          StringBuilder rename = new StringBuilder("RENAME TABLE ");
          for (int i = 0; i < tables.size(); i++) {
            String t = tables.get(i).substring(db.length() + 1);
            if (i > 0) rename.append(", ");
            rename.append(MariaDbClient.qualified(tables.get(i))).append(" TO ")
                .append(MariaDbClient.quote(k)).append('.').append(MariaDbClient.quote(t));
          }
          cli.sql(m, "SET FOREIGN_KEY_CHECKS=0; " + rename);
        }
        cli.sql(m, "DROP DATABASE " + MariaDbClient.quote(db));
        log.info("mariadb {}: the tables of {} are kept in {}", m.name(), db, k);
        kept.put(db, k);
      }
      return kept;
    });
  }

  private boolean exists(MariaDbConfig m, String db) {
    return !MariaDbClient.lines(cli.sql(m, "SELECT schema_name FROM"
        + " information_schema.schemata WHERE schema_name = " + MariaDbClient.literal(db)))
        .isEmpty();
  }

  @Override
  public void mariadbLoad(MariaDbRestoreRequest req) {
    typed(() -> {
      var ctx = Activity.getExecutionContext();
      MariaDbManifest m = req.manifest();
      MariaDbConfig c = req.mariadb();
      // A retried load starts from the databases the dump creates: drop what a killed attempt
      // loaded (the damaged data is in the kept databases, not here).
      for (String db : m.databases()) {
        cli.sql(c, "DROP DATABASE IF EXISTS " + MariaDbClient.quote(db));
      }
      MariaDbStreams.Download d = MariaDbLoad.into(cli.command(c, "mariadb"), c.where(),
          stores.forRepository(req.repository()), stores.cipher(req.repository()),
          m.objectKey(), () -> ctx.heartbeat(null), true);
      MariaDbStreams.check(d, m.objectKey(), m.sha256(), m.storedBytes());
      return null;
    });
  }

  @Override
  public int mariadbValidate(MariaDbRestoreRequest req) {
    // CHECKSUM TABLE of a big database outlasts the step's heartbeat timeout: beat meanwhile.
    return quick(() -> {
      MariaDbConfig c = req.mariadb();
      MariaDbManifest m = req.manifest();
      List<MariaDbTable> now = MariaDbLoad.tables(sql -> MariaDbClient.run(
          cli.command(c, "mariadb", "--batch", "--skip-column-names", "-e", sql), 3600),
          m.databases());
      if (!now.equals(m.tables())) {
        String first = firstDifference(m.tables(), now);
        throw FailureKind.RECOVERY_FAILED.failure("mariadb " + c.name() + " after loading backup "
            + m.backupId() + " differs from its manifest: " + first
            + "; the damaged tables are kept in the *_before_" + req.runKey() + " databases");
      }
      return now.size();
    });
  }

  static String firstDifference(List<MariaDbTable> expected, List<MariaDbTable> got) {
    Map<String, MariaDbTable> byName = new LinkedHashMap<>();
    for (MariaDbTable t : got) byName.put(t.name(), t);
    for (MariaDbTable e : expected) {
      MariaDbTable g = byName.remove(e.name());
      if (g == null) return "table " + e.name() + " is missing";
      if (!g.equals(e)) {
        return e.name() + " has " + g.rows() + " rows, checksum " + g.checksum()
            + " (manifest: " + e.rows() + " rows, checksum " + e.checksum() + ")";
      }
    }
    return byName.isEmpty() ? "?" : "table " + byName.keySet().iterator().next()
        + " is not in the backup";
  }

  /**
   * A short step that keeps no heartbeat details: heartbeats while it runs (see Keepalive), so
   * a worker killed during it is noticed after the workflow's 10 s heartbeat timeout, not its
   * 10 minute start-to-close.
   */
  static <T> T quick(java.util.function.Supplier<T> body) {
    return io.lifeboat.run.Keepalive.during(() -> typed(body));
  }
}
