package io.lifeboat.cli.backup;

import io.lifeboat.backup.opensearch.OpenSearchBackupActivitiesImpl;
import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.OpenSearchSources;
import io.lifeboat.cli.Session;
import io.lifeboat.config.LifeboatConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code backups list --opensearch NAME}: the committed OpenSearch snapshots, newest first. */
final class OpenSearchListing {
  private OpenSearchListing() {}

  static int print(Session s, String name, boolean json, PrintWriter out) {
    LifeboatConfig c = s.config();
    String source = OpenSearchSources.named(c, s.configPath(), name).name();
    List<OpenSearchManifest> found = new ArrayList<>(OpenSearchBackupActivitiesImpl.committed(
        s.repository(), c.repository().prefix(), source));
    Collections.reverse(found);
    if (json) {
      out.println(Json.write(found));
      return 0;
    }
    if (found.isEmpty()) {
      out.println("no committed backups of opensearch " + source);
      return 0;
    }
    out.printf("%-29s %-16s %8s %10s %10s %10s  %s%n", "ID", "OPENSEARCH", "INDICES", "DOCS",
        "STORED", "UPLOADED", "STARTED");
    for (OpenSearchManifest m : found) {
      out.printf("%-29s %-16s %8d %10d %10s %10s  %s%n", m.backupId(), m.name(),
          m.documents().size(), m.documents().values().stream().mapToLong(Long::longValue).sum(),
          Bytes.human(m.storedBytes()), Bytes.human(m.uploadedBytes()), m.startedAt());
    }
    return 0;
  }
}
