package io.lifeboat.cli.backup;

import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.config.LifeboatConfig;
import java.io.PrintWriter;

/** The summary printed after an application or configuration backup. */
final class ArtifactSummary {
  private ArtifactSummary() {}

  static void print(PrintWriter out, LifeboatConfig c, ArtifactBackupResult r, String link) {
    ArtifactManifest m = r.manifest();
    out.println();
    out.println(m.kind() + " backup " + m.backupId() + " of " + m.subject() + " is committed");
    if (m.commit() != null) out.println("  commit      " + m.commit());
    out.printf("  size        %d files, %s, %s stored%n", m.fileCount(), Bytes.human(m.rawBytes()),
        Bytes.human(m.storedBytes()));
    out.println("  location    s3://" + c.repository().bucket() + "/" + m.objectKey());
    if (m.localCopy() != null) out.println("  local copy  " + m.localCopy());
    out.println("  sha256      " + m.sha256());
    out.println("  verified    " + m.verification());
    if (!m.missingOptional().isEmpty()) {
      out.println("  not present " + String.join(", ", m.missingOptional()));
    }
    for (var t : r.steps()) {
      out.printf("    %-18s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
    }
    if (!r.expiredBackupIds().isEmpty()) {
      out.println("  expired     " + String.join(", ", r.expiredBackupIds()));
    }
    if (r.retentionWarning() != null) out.println("  warning     " + r.retentionWarning());
    out.println("  workflow    " + link);
  }
}
