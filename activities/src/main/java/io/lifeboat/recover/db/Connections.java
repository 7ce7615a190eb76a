package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgTools;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections to the configured server, or to a scratch copy of it on another port. */
final class Connections {
  private final PgTools pg;

  Connections(PgTools pg) {
    this.pg = pg;
  }

  Connection open(DatabaseConfig db, int port, String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", db.user());
    String password = pg.password(db);
    if (password != null) props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    props.setProperty("ApplicationName", "lifeboat-recovery");
    int p = port > 0 ? port : db.port();
    return DriverManager.getConnection(
        "jdbc:postgresql://" + db.host() + ":" + p + "/" + database, props);
  }

  static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
