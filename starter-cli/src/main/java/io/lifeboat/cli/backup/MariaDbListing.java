package io.lifeboat.cli.backup;

import io.lifeboat.backup.mariadb.MariaDbBackupActivitiesImpl;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.MariaDbSources;
import io.lifeboat.cli.Session;
import io.lifeboat.config.LifeboatConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code backups list --mariadb NAME}: the committed MariaDB backups (logical
 * and physical), newest first. */
final class MariaDbListing {
  private MariaDbListing() {}

  static int print(Session s, String name, boolean json, PrintWriter out) {
    LifeboatConfig c = s.config();
    String server = MariaDbSources.named(c, s.configPath(), name).name();
    List<MariaDbManifest> found = new ArrayList<>(MariaDbBackupActivitiesImpl.committed(
        s.repository(), c.repository().prefix(), server));
    Collections.reverse(found);
    if (json) {
      out.println(Json.write(found));
      return 0;
    }
    if (found.isEmpty()) {
      out.println("no committed backups of mariadb " + server);
      return 0;
    }
    out.printf("%-29s %-16s %-8s %7s %10s %10s  %-24s %s%n", "ID", "MARIADB", "METHOD",
        "TABLES", "RAW", "STORED", "BINLOG", "STARTED");
    for (MariaDbManifest m : found) {
      out.printf("%-29s %-16s %-8s %7d %10s %10s  %-24s %s%n", m.backupId(), m.name(),
          m.physical() ? "physical" : "logical", m.tables().size(), Bytes.human(m.rawBytes()), Bytes.human(m.storedBytes()),
          m.binlogFile() == null ? "-" : m.binlogFile() + ":" + m.binlogPosition(),
          m.startedAt());
    }
    return 0;
  }
}
