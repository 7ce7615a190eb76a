package io.lifeboat.postgres;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.process.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL client tools and builds their argument lists. Arguments are always
 * passed as a list, never through a shell; the password travels in PGPASSWORD only.
 */
public final class PgTools {
  private final Path binDir;
  private final Secrets secrets;

  public PgTools(Path binDir, Secrets secrets) {
    this.binDir = binDir;
    this.secrets = secrets;
  }

  /** LIFEBOAT_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH. */
  public static PgTools discover(Secrets secrets) {
    String configured = secrets.optional("LIFEBOAT_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return new PgTools(Path.of(configured), secrets);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        var newest = versions.filter(p -> p.getFileName().toString().matches("\\d+"))
            .filter(p -> Files.isExecutable(p.resolve("bin/pg_dump")))
            .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())));
        if (newest.isPresent()) {
          return new PgTools(newest.get().resolve("bin"), secrets);
        }
      } catch (java.io.IOException ignored) {
        // fall through to PATH
      }
    }
    return new PgTools(null, secrets);
  }

  public String tool(String name) {
    return binDir == null ? name : binDir.resolve(name).toString();
  }

  /** Connection flags for a tool, database last-but-one so callers can append options. */
  public List<String> connection(DatabaseConfig db, String database) {
    List<String> args = new ArrayList<>(List.of("-h", db.host(), "-p", String.valueOf(db.port()),
        "-U", db.user(), "--no-password"));
    if (database != null) {
      args.add("-d");
      args.add(database);
    }
    return args;
  }

  /** The environment for a tool: PGPASSWORD from the variable the config names. */
  public Map<String, String> environment(DatabaseConfig db) {
    Map<String, String> env = new java.util.HashMap<>();
    if (db.passwordEnv() != null) {
      env.put("PGPASSWORD", secrets.require(db.passwordEnv(), "password of " + db.name()));
    }
    env.put("PGCONNECT_TIMEOUT", "10");
    env.put("PGAPPNAME", "lifeboat");
    return env;
  }

  public String password(DatabaseConfig db) {
    return db.passwordEnv() == null ? null
        : secrets.require(db.passwordEnv(), "password of " + db.name());
  }

  /** A JDBC connection to the configured server and its database, as {@code applicationName}. */
  public Connection connect(DatabaseConfig db, String applicationName) throws SQLException {
    return connect(db, 0, db.name(), applicationName);
  }

  /**
   * The one way the worker opens a JDBC connection: the configured user and password (from the
   * variable the config names), a 10-second connect timeout, {@code applicationName} when given
   * (null leaves the driver's own). {@code port} 0 means the configured port (another port is a
   * scratch copy of the server); {@code database} is the database to connect to.
   */
  public Connection connect(DatabaseConfig db, int port, String database, String applicationName)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", db.user());
    String password = password(db);
    if (password != null) props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    if (applicationName != null) props.setProperty("ApplicationName", applicationName);
    int p = port > 0 ? port : db.port();
    return DriverManager.getConnection(
        "jdbc:postgresql://" + db.host() + ":" + p + "/" + database, props);
  }

  /**
   * {@code tool --version}, the tool's own words (recorded in manifests); a missing tool is
   * PG_TOOL_FAILED with the hint to set LIFEBOAT_PG_BIN.
   */
  public String version(String tool) {
    try {
      return Tools.run(List.of(tool(tool), "--version"), Map.of(), Duration.ofSeconds(10), null)
          .stdout().strip();
    } catch (IOException e) {
      throw FailureKind.PG_TOOL_FAILED.failure(tool + " is not installed for the worker ("
          + e.getMessage() + "); set LIFEBOAT_PG_BIN or install the PostgreSQL client");
    }
  }
}
