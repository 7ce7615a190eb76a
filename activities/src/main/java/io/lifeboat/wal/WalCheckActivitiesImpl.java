package io.lifeboat.wal;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.wal.WalCheckActivities;
import io.lifeboat.wal.WalCheckRequest;
import io.lifeboat.wal.WalCheckResult;
import io.lifeboat.wal.WalContinuity;
import io.lifeboat.wal.WalNames;
import io.lifeboat.wal.WalSwitch;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** The archive check: a forced switch, continuity following timelines, the achieved RPO. */
public class WalCheckActivitiesImpl implements WalCheckActivities {
  /** How long the check waits for the switched segment before it calls the archive late. */
  static final long WAIT_MILLIS = 120_000;

  private final StoreFactory stores;
  private final PgTools pg;

  public WalCheckActivitiesImpl(StoreFactory stores, PgTools pg) {
    this.stores = stores;
    this.pg = pg;
  }

  @Override
  public WalSwitch forceSwitch(DatabaseConfig db) {
    return typed(() -> {
      long requested = System.currentTimeMillis();
      try (Connection c = pg.connect(db, "lifeboat wal check");
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select pg_switch_wal()::text,"
               + " pg_walfile_name(pg_current_wal_lsn()),"
               + " (select setting::bigint from pg_settings where name = 'wal_segment_size'),"
               + " a.failed_count, a.last_failed_wal from pg_stat_archiver a")) {
        rs.next();
        String lsn = rs.getString(1);
        int timeline = WalNames.timeline(rs.getString(2));
        long segSize = rs.getLong(3);
        return new WalSwitch(timeline, lsn, WalNames.segmentBefore(timeline, lsn, segSize),
            segSize, rs.getLong(4), rs.getString(5), requested);
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
    });
  }

  @Override
  public WalCheckResult checkArchive(WalCheckRequest req, WalSwitch sw) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      RepositoryConfig repo = req.repository();
      ObjectStore store = stores.forRepository(repo);
      String db = req.database().name();
      WalArchive archive = new WalArchive(store, repo.prefix(), db, req.wal().compressionLevel(),
          stores.cipher(repo));
      long segSize = sw != null ? sw.segmentSize() : req.wal().segmentSizeBytes();
      List<String> notes = new ArrayList<>();

      // 1. The segment the switch closed: wait until it is stored.
      boolean switchedArchived = false;
      long waited = 0;
      if (sw != null) {
        long t0 = System.currentTimeMillis();
        while (true) {
          if (archive.info(sw.neededSegment()).isPresent()) {
            switchedArchived = true;
            break;
          }
          if (System.currentTimeMillis() - t0 > WAIT_MILLIS) break;
          ctx.heartbeat(sw.neededSegment());
          sleep(500);
        }
        waited = System.currentTimeMillis() - sw.requestedAtMillis();
        if (!switchedArchived) {
          notes.add(sw.neededSegment() + " was not archived within " + WAIT_MILLIS / 1000
              + " s of the switch (pg_stat_archiver: " + sw.archiverFailedCount()
              + " failures, last failed " + sw.lastFailedWal() + ")");
        }
      } else {
        notes.add("PostgreSQL could not be asked to switch WAL: the RPO is the age of the"
            + " newest archived segment");
      }

      // 2. Continuity from the oldest retained base backup to the newest segment.
      List<String> segments = archive.segments();
      Set<String> archived = new HashSet<>(segments);
      TreeSet<Integer> timelines = archive.timelines();
      Optional<String> newest = archive.newestSegment(segSize);
      List<BaseBackupManifest> bases = new BaseBackups(store, repo.prefix(), db).committed();
      String oldestBase = bases.isEmpty() ? null : bases.get(0).backupId();
      WalContinuity.Result cont = null;
      if (newest.isPresent()) {
        int target = timelines.isEmpty() ? 1 : timelines.last();
        List<WalContinuity.Switch> history = List.of();
        if (target > 1) {
          Optional<byte[]> h = archive.read(WalNames.historyName(target));
          if (h.isPresent()) {
            history = WalContinuity.parseHistory(new String(h.get(), StandardCharsets.UTF_8));
          } else {
            notes.add("timeline " + target + " has no history file in the archive: recovery"
                + " cannot follow it");
          }
        }
        long from;
        if (!bases.isEmpty()) {
          from = WalNames.segmentNumber(bases.get(0).startWalSegment(), segSize);
        } else {
          from = segments.stream().mapToLong(s -> WalNames.segmentNumber(s, segSize)).min()
              .orElse(0);
          notes.add("no base backup yet: continuity checked from the oldest archived segment");
        }
        long to = WalNames.segmentNumber(newest.get(), segSize);
        cont = WalContinuity.check(archived, from, to, target, history, segSize);
        if (target > 1 && history.isEmpty()) {
          cont = new WalContinuity.Result(cont.missing(), Math.max(1, cont.missingCount()),
              cont.checked(), cont.from(), cont.to());
        }
      } else {
        notes.add("the archive holds no segment yet");
      }
      boolean continuous = cont != null && cont.missingCount() == 0;

      // 3. The achieved RPO.
      Instant newestAt = newest.flatMap(archive::info).map(i -> i.lastModified()).orElse(null);
      long now = System.currentTimeMillis();
      long rpo;
      if (sw != null && switchedArchived) {
        rpo = Math.max(0, waited) / 1000;
      } else if (newestAt != null) {
        rpo = Math.max(0, now - newestAt.toEpochMilli()) / 1000;
      } else {
        rpo = Long.MAX_VALUE / 2000;   // nothing archived: nothing is protected
      }
      long target = req.rpoTargetMinutes() * 60L;
      return new WalCheckResult(db, continuous, cont == null ? 0 : cont.missingCount(),
          cont == null ? List.of() : cont.missing(), cont == null ? null : cont.from(),
          cont == null ? null : cont.to(), cont == null ? 0 : cont.checked(),
          List.copyOf(timelines), oldestBase, newest.orElse(null),
          newestAt == null ? null : newestAt.toString(),
          sw == null ? null : sw.neededSegment(), switchedArchived, waited, rpo, target,
          rpo <= target, sw == null ? -1 : sw.archiverFailedCount(),
          sw == null ? null : sw.lastFailedWal(), notes.isEmpty() ? null : String.join("; ", notes));
    });
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
    }
  }
}
