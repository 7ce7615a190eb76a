package io.lifeboat.postgres;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
}
