package io.lifeboat.cli.backup;

import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.Json;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** `backups list --app NAME | --configuration`: committed archives, read from their manifests. */
final class ArtifactListing {
  private ArtifactListing() {}

  static int print(ObjectStore store, LifeboatConfig c, String root, boolean json, PrintWriter out)
      throws IOException {
    List<ArtifactManifest> found = new ArrayList<>();
    for (String key : store.list(root)) {
      if (key.endsWith("/" + RepositoryLayout.MANIFEST)) {
        try (InputStream in = store.get(key)) {
          found.add(Json.MAPPER.readValue(in, ArtifactManifest.class));
        }
      }
    }
    found.sort(Comparator.comparing(ArtifactManifest::backupId).reversed());
    if (json) {
      out.println(Json.write(found));
      return 0;
    }
    if (found.isEmpty()) {
      out.println("no committed backups in s3://" + c.repository().bucket() + "/" + root);
      return 0;
    }
    out.printf("%-38s %-8s %-12s %6s %10s  %s%n", "ID", "KIND", "COMMIT", "FILES", "STORED", "STARTED");
    for (ArtifactManifest m : found) {
      out.printf("%-38s %-8s %-12s %6d %10s  %s%n", m.backupId(), m.kind(),
          m.commit() == null ? "-" : m.commit(), m.fileCount(), Bytes.human(m.storedBytes()),
          m.startedAt());
    }
    return 0;
  }
}
