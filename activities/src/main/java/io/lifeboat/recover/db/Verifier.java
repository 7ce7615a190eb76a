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
    try (Connection c = connections.open(db, req.port(), req.databaseName());
         Statement s = c.createStatement()) {
      s.execute("select 1");
      checks.add(new VerifyReport.Check("connect", "ok", "SELECT 1 answers"));
      for (ValidationQuery q : db.validation()) {
        checks.add(run(s, q, notAfter));
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || "42703".equals(e.getSQLState())
          || "42601".equals(e.getSQLState())) {
        throw FailureKind.VERIFICATION_FAILED.failure("a validation query fails on the recovered"
            + " copy: " + e.getMessage().lines().findFirst().orElse(""));
      }
      throw PgFailures.fromSql(db, e);
    }
    return new VerifyReport(checks);
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
