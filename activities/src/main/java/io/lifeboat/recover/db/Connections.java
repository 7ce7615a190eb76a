package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgTools;
import java.sql.Connection;
import java.sql.SQLException;

/** JDBC connections to the configured server, or to a scratch copy of it on another port. */
final class Connections {
  private final PgTools pg;

  Connections(PgTools pg) {
    this.pg = pg;
  }

  Connection open(DatabaseConfig db, int port, String database) throws SQLException {
    return pg.connect(db, port, database, "lifeboat-recovery");
  }

  static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
