package io.lifeboat.cli.wal;

import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.wal.WalArchive;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The database whose WAL a wal-push / wal-fetch is about: {@code --database NAME}, else a
 * leading positional NAME (three arguments), else the only database in the config. PostgreSQL
 * passes the file arguments (%p %f, %f %p), so the database is what the operator adds.
 */
final class WalArgs {
  private WalArgs() {}

  record Resolved(DatabaseConfig database, String first, String second) {}

  static Resolved resolve(Session s, String option, List<String> positional, String usage) {
    String name = option;
    List<String> files = positional;
    if (positional.size() == 3) {
      if (option != null && !option.equals(positional.get(0))) {
        throw new UserError("the database is given twice ('" + option + "' and '"
            + positional.get(0) + "'); usage: " + usage);
      }
      name = positional.get(0);
      files = positional.subList(1, 3);
    } else if (positional.size() != 2) {
      throw new UserError("expected 2 or 3 arguments, got " + positional.size() + "; usage: "
          + usage);
    }
    LifeboatConfig c = s.config();
    DatabaseConfig db;
    if (name != null) {
      db = s.database(name);
    } else if (c.databases().size() == 1) {
      db = c.databases().get(0);
    } else {
      throw new UserError(s.configPath() + " lists several databases ("
          + c.databases().stream().map(DatabaseConfig::name).collect(Collectors.joining(", "))
          + "); say which with --database NAME");
    }
    return new Resolved(db, files.get(0), files.get(1));
  }

  static WalArchive archive(Session s, DatabaseConfig db) {
    LifeboatConfig c = s.config();
    return new WalArchive(s.repository(), c.repository().prefix(), db.name(),
        c.wal().compressionLevel(), s.cipher());
  }
}
