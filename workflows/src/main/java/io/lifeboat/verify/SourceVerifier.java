package io.lifeboat.verify;

import java.util.List;

/**
 * Verifies one kind of backup (workflow code). The database-dump verifier is the first; an
 * application-archive or base-backup verifier implements this with its own activities and is
 * added to {@link BackupVerificationWorkflowImpl#verifiers}.
 */
public interface SourceVerifier {

  /** The sources of this kind that the request covers, by name. */
  List<String> sources(VerificationRequest request);

  /** The kind, as in manifests and metric labels: "db-full", "app"... */
  String kind();

  /** Verifies the newest backup of one source; never throws for a bad backup. */
  VerificationResult verify(VerificationRequest request, String source);
}
