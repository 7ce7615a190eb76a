package io.lifeboat.postgres;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;

/** Turns what PostgreSQL and its tools say into the failure registry's kinds. */
public final class PgFailures {
  private PgFailures() {}

  public static FailureKind kindOfToolError(String stderr) {
    String s = stderr == null ? "" : stderr;
    if (s.matches("(?s).*database \".*\" does not exist.*")) return FailureKind.UNKNOWN_DATABASE;
    if (s.contains("password authentication failed") || s.contains("no password supplied")
        || s.contains("role \"") && s.contains("does not exist")
        || s.contains("no pg_hba.conf entry")) {
      return FailureKind.PG_AUTH_FAILED;
    }
    if (s.contains("Connection refused") || s.contains("could not connect")
        || s.contains("server closed the connection") || s.contains("timeout expired")
        || s.contains("the database system is starting up")
        || s.contains("the database system is shutting down")
        || s.contains("Connection timed out") || s.contains("No route to host")) {
      return FailureKind.PG_UNAVAILABLE;
    }
    return FailureKind.PG_TOOL_FAILED;
  }

  public static ApplicationFailure fromTool(String tool, DatabaseConfig db, int exit, String stderr) {
    FailureKind kind = kindOfToolError(stderr);
    return kind.failure(describe(kind, db) + " (" + tool + " exit " + exit + ": "
        + lastMeaningfulLine(stderr) + ")");
  }

  public static ApplicationFailure fromSql(DatabaseConfig db, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    FailureKind kind;
    if (state.equals("3D000")) {
      kind = FailureKind.UNKNOWN_DATABASE;
    } else if (state.equals("28P01") || state.equals("28000")) {
      kind = FailureKind.PG_AUTH_FAILED;
    } else if (state.startsWith("08") || state.equals("57P03")) {
      kind = FailureKind.PG_UNAVAILABLE;
    } else {
      kind = FailureKind.PG_TOOL_FAILED;
    }
    return kind.failure(describe(kind, db) + " (" + oneLine(e.getMessage()) + ")");
  }

  private static String describe(FailureKind kind, DatabaseConfig db) {
    return switch (kind) {
      case UNKNOWN_DATABASE -> "database " + db.name() + " does not exist on " + db.address();
      case PG_AUTH_FAILED -> "PostgreSQL at " + db.address() + " refused user " + db.user();
      case PG_UNAVAILABLE -> "PostgreSQL at " + db.address() + " is not answering";
      default -> "PostgreSQL tool failed on " + db.name() + " at " + db.address();
    };
  }

  public static String lastMeaningfulLine(String stderr) {
    if (stderr == null || stderr.isBlank()) return "no message";
    String[] lines = stderr.strip().split("\n");
    // PostgreSQL 12+ tools: "pg_dump: error: ..." then "pg_dump: detail: ..." / "pg_dump: hint:".
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].contains(": error: ")) {
        return oneLine(lines[i].strip());
      }
    }
    for (int i = lines.length - 1; i >= 0; i--) {
      String l = lines[i].strip();
      if (!l.isEmpty() && !l.startsWith("DETAIL") && !l.startsWith("HINT")
          && !l.matches("\\S+: (detail|hint): .*")) {
        return oneLine(l);
      }
    }
    return oneLine(lines[lines.length - 1]);
  }

  static String oneLine(String s) {
    if (s == null) return "";
    String one = s.replace('\n', ' ').replace('\r', ' ').strip();
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }
}
