package io.lifeboat.backup.mariadb;

import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The mariadb and mariadb-dump clients against a configured server, always over TCP and with
 * --no-defaults (no ~/.my.cnf decides where they go). The password travels in MYSQL_PWD, never
 * on the command line; every failure becomes one FailureKind with the tool's own words.
 */
public final class MariaDbClient {
  private final Secrets secrets;

  public MariaDbClient(Secrets secrets) {
    this.secrets = secrets;
  }

  /** A finished run: exit code and both streams. */
  public record Result(int exit, String out, String err) {
    public String both() {
      return (out + "\n" + err).strip();
    }
  }

  /** {@code tool --no-defaults --protocol=TCP -h -P -u} and the arguments, password in env. */
  public ProcessBuilder command(MariaDbConfig m, String tool, String... args) {
    return command(tool, m.address(), m.port(), m.user(), m.passwordEnv() == null ? null
        : secrets.require(m.passwordEnv(), "the password of mariadb " + m.name()), args);
  }

  public static ProcessBuilder command(String tool, String address, int port, String user,
      String password, String... args) {
    List<String> argv = new ArrayList<>(List.of(tool, "--no-defaults", "--protocol=TCP", "-h",
        address, "-P", String.valueOf(port), "-u", user));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().remove("MYSQL_PWD");
    if (password != null) pb.environment().put("MYSQL_PWD", password);
    return pb;
  }

  /** Runs SQL with --batch --skip-column-names; the output, or the classified failure. */
  public String sql(MariaDbConfig m, String sql) {
    Result r = run(command(m, "mariadb", "--batch", "--skip-column-names", "-e", sql), 3600);
    if (r.exit() != 0) throw classify(m.where(), m.passwordEnv(), "mariadb", r.both());
    return r.out();
  }

  public static Result run(ProcessBuilder pb, long timeoutSeconds) {
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> copy(p.getErrorStream(), err), "mariadb-stderr");
      drain.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(p.getInputStream(), out);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw FailureKind.MARIADB_TOOL_FAILED.failure(pb.command().get(0) + " did not finish in "
            + timeoutSeconds + " s");
      }
      drain.join(2000);
      return new Result(p.exitValue(), out.toString(), err.toString());
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot run " + pb.command().get(0) + ": "
          + e.getMessage() + " (apt-get install mariadb-client)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    }
  }

  static void copy(InputStream in, ByteArrayOutputStream to) {
    try (in) {
      in.transferTo(to);
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** One failure, of the kind the tool's words say. */
  public static io.temporal.failure.ApplicationFailure classify(String where, String passwordEnv,
      String what, String text) {
    String line = lastLine(text);
    if (text.contains("ERROR 2002") || text.contains("ERROR 2003") || text.contains("ERROR 2013")
        || text.contains("Can't connect") || text.contains("Lost connection")
        || text.contains(": 2002:") || text.contains(": 2003:")) {
      return FailureKind.MARIADB_UNAVAILABLE.failure(where + " does not answer: " + line);
    }
    if (text.contains("ERROR 1045") || text.contains(": 1045:")
        || text.contains("Access denied for user")) {
      return FailureKind.MARIADB_AUTH_FAILED.failure(where + " refused the login (password from "
          + (passwordEnv == null ? "no passwordEnv" : "$" + passwordEnv) + "): " + line);
    }
    if (text.contains("ERROR 1049") || text.contains(": 1049:")
        || text.contains("Unknown database")) {
      return FailureKind.UNKNOWN_DATABASE.failure(where + ": " + line);
    }
    return FailureKind.MARIADB_TOOL_FAILED.failure(where + ": " + what + " failed: " + line);
  }

  public static String lastLine(String text) {
    String last = "";
    for (String l : text.strip().split("\n")) {
      if (!l.isBlank() && !l.contains("[Warning]")) last = l.strip();
    }
    return last.length() > 300 ? last.substring(0, 300) + "..." : last;
  }

  /** `name` quoted for SQL. */
  public static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** 'text' as an SQL string literal. */
  public static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** Base tables of the databases, "db.table", sorted. */
  public static String baseTablesSql(List<String> databases) {
    StringBuilder in = new StringBuilder();
    for (String db : databases) in.append(in.length() == 0 ? "" : ",").append(literal(db));
    return "SELECT CONCAT(table_schema, '.', table_name) FROM information_schema.tables"
        + " WHERE table_type = 'BASE TABLE' AND table_schema IN (" + in + ")"
        + " ORDER BY table_schema, table_name";
  }

  /** CHECKSUM TABLE over "db.table" names: name to checksum (null for a missing table). */
  public static String checksumSql(List<String> tables) {
    StringBuilder sql = new StringBuilder("CHECKSUM TABLE ");
    for (int i = 0; i < tables.size(); i++) {
      if (i > 0) sql.append(", ");
      sql.append(qualified(tables.get(i)));
    }
    return sql.toString();
  }

  public static String qualified(String dbDotTable) {
    int dot = dbDotTable.indexOf('.');
    return quote(dbDotTable.substring(0, dot)) + "." + quote(dbDotTable.substring(dot + 1));
  }

  /** Output of CHECKSUM TABLE (name TAB checksum lines) as a map; NULL becomes -1. */
  public static Map<String, Long> parseChecksums(String out) {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (String l : out.split("\n")) {
      if (l.isBlank()) continue;
      String[] f = l.split("\t");
      sums.put(f[0], f.length < 2 || f[1].equals("NULL") ? -1L : Long.parseLong(f[1].strip()));
    }
    return sums;
  }

  public static List<String> lines(String out) {
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  public static String version(String tool) {
    Result r = run(new ProcessBuilder(tool, "--version"), 10);
    return lastLine(r.out());
  }
}
