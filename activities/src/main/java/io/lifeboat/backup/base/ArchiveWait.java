package io.lifeboat.backup.base;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.failure.FailureKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until our WAL archive holds the segments a base backup needs (format 2: the backup
 * streamed its own WAL, so PostgreSQL did not wait for archiving). The archive is asked often
 * (a HEAD per missing segment every 50 ms); the server once a second: once it reports a needed
 * segment archived (archive_command exited 0) while our archive lacks it, the cluster archives
 * somewhere else, and the wait ends at once with a WAL gap instead of never.
 */
final class ArchiveWait {
  private static final Logger log = LoggerFactory.getLogger(ArchiveWait.class);
  private static final long POLL_MILLIS = 50;
  private static final long SERVER_EVERY_MILLIS = 1000;

  private ArchiveWait() {}

  /** @return milliseconds waited */
  static long await(WalArchive archive, List<String> segments, DatabaseConfig db, PgTools pg,
      String backupId) throws SQLException, InterruptedException {
    long start = System.currentTimeMillis();
    Set<String> missing = new LinkedHashSet<>(segments);
    Connection c = null;
    long nextServerCheck = start + SERVER_EVERY_MILLIS;
    long nextLog = start + 60_000;
    try {
      while (true) {
        missing.removeIf(s -> archive.info(s).isPresent());
        if (missing.isEmpty()) return System.currentTimeMillis() - start;
        long now = System.currentTimeMillis();
        if (now >= nextServerCheck) {
          if (c == null) c = connect(db, pg);
          String lastArchived = lastArchived(c);
          String newestMissing = missing.stream().max(String::compareTo).orElseThrow();
          if (lastArchived != null && lastArchived.compareTo(newestMissing) >= 0) {
            // The server has archived it: asked again, our archive either has it now or never.
            missing.removeIf(s -> archive.info(s).isPresent());
            if (!missing.isEmpty()) {
              throw FailureKind.WAL_GAP.failure("the WAL archive of " + db.name() + " lacks "
                  + missing.iterator().next() + ", which base backup " + backupId
                  + " needs (the server archived it: its archive_command stores elsewhere)");
            }
            return System.currentTimeMillis() - start;
          }
          nextServerCheck = now + SERVER_EVERY_MILLIS;
        }
        if (now >= nextLog) {
          log.warn("base backup {}: still waiting for {} to be archived", backupId, missing);
          nextLog = now + 60_000;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (SQLException e) {
      throw PgFailures.fromSql(db, e);
    } finally {
      if (c != null) c.close();
    }
  }

  private static String lastArchived(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select last_archived_wal from pg_stat_archiver")) {
      rs.next();
      String name = rs.getString(1);
      // SEGMENT, SEGMENT.partial, or SEGMENT.OFFSET.backup (a base backup's history file,
      // named for its start segment, archived right after a backup: the usual last name
      // here). The archiver takes ready files in name order, so once any of these is archived,
      // so is every segment up to SEGMENT. A timeline history file says nothing.
      if (name == null || name.length() < 24 || !name.substring(0, 24).matches("[0-9A-F]{24}")) {
        return null;
      }
      return name.substring(0, 24);
    }
  }

  static Connection connect(DatabaseConfig db, PgTools pg) throws SQLException {
    return pg.connect(db, "lifeboat");
  }
}
