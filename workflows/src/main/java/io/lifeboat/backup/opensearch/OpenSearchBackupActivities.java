package io.lifeboat.backup.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What an OpenSearch backup does; every method idempotent for a backup id. Method names carry
 * "opensearch" because Temporal names activities by method, across interfaces.
 */
@ActivityInterface
public interface OpenSearchBackupActivities {

  /** GET / and a _count per index: fails fast when the node is down or refuses the user. */
  OpenSearchFacts opensearchAssess(OpenSearchConfig opensearch);

  /**
   * Registers the fs repository when absent, creates the snapshot and waits (heartbeating)
   * for it to finish; a retry finds the snapshot it started.
   */
  OpenSearchSnapshot opensearchSnapshot(OpenSearchConfig opensearch, String snapshot);

  /**
   * Host-bound: every file of snapshotDir into the repository (zstd, the repository cipher),
   * skipping the files an earlier committed backup stored; writes files.json.
   */
  OpenSearchShipResult opensearchShipFiles(OpenSearchShipRequest request);

  /**
   * Host-bound: fetches every listed file back (SHA-256, decryption, zstd) into a scratch fs
   * repository, restores the snapshot into scratch indices, counts, removes the scratch.
   */
  OpenSearchVerifyResult opensearchVerifyStored(OpenSearchVerifyRequest request);

  /** Writes manifest.json, the commit mark. */
  void opensearchCommitManifest(RepositoryConfig repository, OpenSearchManifest manifest);

  /**
   * Expires backups (never the newest), deletes their snapshots on the node, then the stored
   * blobs no committed backup lists any more.
   */
  List<String> opensearchApplyRetention(OpenSearchRetentionRequest request);

  /** Compensation: the run's directory and its snapshot on the node go; no manifest stays. */
  void opensearchDiscardIncomplete(OpenSearchDiscardRequest request);
}
