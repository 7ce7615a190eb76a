package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.DatabaseConfig.ValidationQuery;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.db.VerifyReport;
import io.lifeboat.recover.db.VerifyRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation queries of the config, against the recovered copy before it is swapped in:
 * row counts at least their minimum, and, for a point-in-time target, newest timestamps not
 * after the target (a copy that holds rows from after T is not the state at T).
 */
final class Verifier {
  private final Connections connections;

  Verifier(Connections connections) {
    this.connections = connections;
  }

  VerifyReport verify(VerifyRequest req) {
    DatabaseConfig db = req.database();
    Instant notAfter = req.notAfter() == null ? null : Instant.parse(req.notAfter());
    List<VerifyReport.Check> checks = new ArrayList<>();
    VerifyReport.LastCommit last = null;
    try (Connection c = connections.open(db, req.port(), req.databaseName());
         Statement s = c.createStatement()) {
      s.execute("select 1");
      checks.add(new VerifyReport.Check("connect", "ok", "SELECT 1 answers"));
      for (ValidationQuery q : db.validation()) {
        checks.add(run(s, q, notAfter));
      }
      // A base backup + WAL replay runs on its own scratch server (a port): ask it what the
      // replay ended with. A dump restore's scratch database shares the live server, whose
      // last commit says nothing about the dump.
      if (req.port() != 0) last = lastCommit(s);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || "42703".equals(e.getSQLState())
          || "42601".equals(e.getSQLState())) {
        throw FailureKind.VERIFICATION_FAILED.failure("a validation query fails on the recovered"
            + " copy: " + e.getMessage().lines().findFirst().orElse(""));
      }
      throw PgFailures.fromSql(db, e);
    }
    return new VerifyReport(checks, last);
  }

  /**
   * The newest transaction on the recovered server: {@code pg_last_committed_xact()} when
   * {@code track_commit_timestamp} is on, else {@code pg_last_xact_replay_timestamp()} (the
   * last commit the replay applied; it stays after promotion); the LSN where replay ended.
   * Null fields where the server cannot say; never fails the verification.
   */
  static VerifyReport.LastCommit lastCommit(Statement s) {
    String lsn = null;
    String at = null;
    String xid = null;
    String source = null;
    try {
      try (ResultSet rs = s.executeQuery("select pg_last_wal_replay_lsn()::text,"
          + " pg_last_xact_replay_timestamp(), current_setting('track_commit_timestamp')")) {
        rs.next();
        lsn = rs.getString(1);
        Timestamp replayed = rs.getTimestamp(2);
        if (replayed != null) {
          at = replayed.toInstant().toString();
          source = "pg_last_xact_replay_timestamp()";
        }
        if ("on".equals(rs.getString(3))) {
          try (ResultSet c = s.executeQuery(
              "select xid::text, timestamp from pg_last_committed_xact()")) {
            if (c.next() && c.getTimestamp(2) != null) {
              xid = c.getString(1);
              at = c.getTimestamp(2).toInstant().toString();
              source = "pg_last_committed_xact()";
            }
          }
        }
      }
    } catch (SQLException e) {
      // an old server or a function refused: the workflow falls back to the backup's time
    }
    return new VerifyReport.LastCommit(at, lsn, xid, source);
  }

  private static VerifyReport.Check run(Statement s, ValidationQuery q, Instant notAfter)
      throws SQLException {
    try (ResultSet rs = s.executeQuery(q.sql())) {
      if (!rs.next()) {
        throw FailureKind.VERIFICATION_FAILED.failure("validation '" + q.name()
            + "' returned no row on the recovered copy");
      }
      if (Boolean.TRUE.equals(q.notAfterTarget())) {
        Timestamp t = rs.getTimestamp(1);
        String value = t == null ? "null" : t.toInstant().toString();
        if (notAfter == null) {
          return new VerifyReport.Check(q.name(), value, "no time target to compare with");
        }
        if (t != null && t.toInstant().isAfter(notAfter)) {
          throw FailureKind.VERIFICATION_FAILED.failure("validation '" + q.name() + "': newest "
              + value + " is after the target " + notAfter + "; the copy is not the state at the"
              + " target");
        }
        return new VerifyReport.Check(q.name(), value, "not after " + notAfter);
      }
      String value = rs.getString(1);
      if (q.minimum() != null) {
        long n;
        try {
          n = Long.parseLong(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
          throw FailureKind.VERIFICATION_FAILED.failure("validation '" + q.name()
              + "' has a minimum but returned '" + value + "', not a number");
        }
        if (n < q.minimum()) {
          throw FailureKind.VERIFICATION_FAILED.failure("validation '" + q.name() + "' returned "
              + n + " on the recovered copy, below its minimum " + q.minimum());
        }
        return new VerifyReport.Check(q.name(), value, "at least " + q.minimum());
      }
      return new VerifyReport.Check(q.name(), value, "recorded");
    }
  }
}
