package io.lifeboat.verify;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.verify.DatabaseVerificationActivities;
import io.lifeboat.verify.DumpTarget;
import io.lifeboat.verify.IntegrityResult;
import io.lifeboat.verify.NewestBackup;
import io.lifeboat.verify.RecordRequest;
import io.lifeboat.verify.RestoreCheckRequest;
import io.lifeboat.verify.RestoreCheckResult;
import io.lifeboat.verify.ScratchDatabase;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class DatabaseVerificationActivitiesImpl implements DatabaseVerificationActivities {
  private static final Logger log = LoggerFactory.getLogger(DatabaseVerificationActivitiesImpl.class);
  /** Only databases named so are ever created or dropped by verification. */
  static final String SCRATCH_PREFIX = "lifeboat_verify_";
  /** DR drills restore through these activities too, into databases named so (issue #6). */
  static final String DRILL_PREFIX = io.lifeboat.drill.DrillTargets.DEFAULT_DB_PREFIX;

  private final StoreFactory stores;
  private final PgTools pg;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DatabaseVerificationActivitiesImpl(StoreFactory stores, PgTools pg) {
    this.stores = stores;
    this.pg = pg;
  }

  @Override
  public NewestBackup findNewest(RepositoryConfig repository, DatabaseConfig database) {
    return typed(() -> new NewestBackup(Manifests.newest(stores.forRepository(repository),
        repository.prefix(), database.name()).orElse(null)));
  }

  @Override
  public IntegrityResult checkIntegrity(DumpTarget target) {
    return typed(() -> {
      BackupManifest m = target.manifest();
      ObjectStore store = stores.forRepository(target.repository());
      if (!store.exists(m.objectKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("the dump " + m.objectKey() + " named by the"
            + " manifest of " + m.backupId() + " is not in the repository");
      }
      try {
        DumpStream.Checked checked = DumpStream.readAll(store,
            stores.cipher(target.repository()), m, pg.tool("pg_restore"),
            Activity.getExecutionContext()::heartbeat);
        return new IntegrityResult(checked.sha256(), checked.bytes(), checked.rawBytes(),
            checked.tocEntries());
      } catch (IOException e) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored dump " + m.objectKey()
            + " cannot be read back: " + e.getMessage());
      }
    });
  }

  @Override
  public RestoreCheckResult restoreAndValidate(RestoreCheckRequest req) {
    return typed(() -> {
      String scratch = req.scratchDatabase();
      requireScratchName(scratch, req.database());
      // A backup written with another key is refused before the scratch database is made.
      stores.cipher(req.repository()).requireReadable(req.manifest().encryption(),
          "backup " + req.manifest().backupId() + " of " + req.manifest().database());
      // A retry starts from an empty database: whatever an earlier attempt restored is dropped.
      dropScratchDb(req.database(), scratch);
      execute(req.database(), "create database " + quote(scratch));
      ObjectStore store = stores.forRepository(req.repository());
      try {
        DumpStream.restore(store, stores.cipher(req.repository()), req.manifest(), pg,
            req.database(), scratch,
            Activity.getExecutionContext()::heartbeat);
      } catch (IOException e) {
        throw FailureKind.RESTORE_TEST_FAILED.failure("restoring " + req.manifest().backupId()
            + " into " + scratch + " failed: " + e.getMessage());
      }
      return validate(req.database(), scratch);
    });
  }

  private RestoreCheckResult validate(DatabaseConfig db, String scratch) {
    try (Connection c = connect(db, scratch); Statement s = c.createStatement()) {
      int tables;
      try (ResultSet rs = s.executeQuery("select count(*) from pg_catalog.pg_tables where"
          + " schemaname not in ('pg_catalog', 'information_schema')")) {
        rs.next();
        tables = rs.getInt(1);
      }
      List<RestoreCheckResult.QueryResult> results = new ArrayList<>();
      for (DatabaseConfig.ValidationQuery q : db.validation()) {
        String value;
        boolean passed;
        try (ResultSet rs = s.executeQuery(q.sql())) {
          value = rs.next() ? rs.getString(1) : null;
          passed = value != null && meets(value, q.minimum());
        } catch (SQLException e) {
          value = "error: " + e.getMessage().lines().findFirst().orElse("");
          passed = false;
        }
        results.add(new RestoreCheckResult.QueryResult(q.name(), q.sql(), value, q.minimum(),
            passed));
      }
      return new RestoreCheckResult(tables, results);
    } catch (SQLException e) {
      throw PgFailures.fromSql(db, e);
    }
  }

  /** Without a minimum, any non-null value passes (e.g. "newest order date"). */
  static boolean meets(String value, Long minimum) {
    if (minimum == null) return true;
    try {
      return new java.math.BigDecimal(value.strip()).compareTo(java.math.BigDecimal.valueOf(minimum))
          >= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public void dropScratch(ScratchDatabase scratch) {
    typed(() -> {
      requireScratchName(scratch.name(), scratch.server());
      dropScratchDb(scratch.server(), scratch.name());
      return null;
    });
  }

  @Override
  public String recordVerification(RecordRequest req) {
    return typed(() -> {
      var r = req.record();
      String key = RepositoryLayout.verificationKey(req.repository().prefix(), r.source(),
          r.backupId(), req.verifiedAtMillis());
      try {
        stores.forRepository(req.repository()).put(key, json.writeValueAsBytes(r),
            "application/json");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return key;
    });
  }

  private void dropScratchDb(DatabaseConfig db, String scratch) {
    execute(db, "drop database if exists " + quote(scratch) + " with (force)");
    log.info("scratch database {} on {} dropped (if it existed)", scratch, db.address());
  }

  /** Never touch a database that verification did not name, nor the source itself. */
  private static void requireScratchName(String name, DatabaseConfig source) {
    if (name == null || !(name.startsWith(SCRATCH_PREFIX) || name.startsWith(DRILL_PREFIX))
        || !name.matches("[a-z0-9_]{1,63}")
        || name.equals(source.name())) {
      throw FailureKind.SCRATCH_NAME_TAKEN.failure("refusing to use '" + name
          + "' as a scratch database: not a lifeboat_verify_ or lifeboat_drill_ name");
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** Runs a statement in the source database's connection (CREATE/DROP DATABASE need one). */
  private void execute(DatabaseConfig db, String sql) {
    try (Connection c = connect(db, db.name()); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw PgFailures.fromSql(db, e);
    }
  }

  private Connection connect(DatabaseConfig db, String database) throws SQLException {
    return pg.connect(db, 0, database, "lifeboat-verify");
  }
}
