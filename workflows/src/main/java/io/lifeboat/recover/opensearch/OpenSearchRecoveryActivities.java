package io.lifeboat.recover.opensearch;

import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import java.util.Map;

/** What an OpenSearch recovery does; host-bound steps are named in ActivityPlacement. */
@ActivityInterface
public interface OpenSearchRecoveryActivities {

  /** The manifest of the backup to restore: the given id, or the newest committed one. */
  OpenSearchManifest opensearchChooseBackup(RepositoryConfig repository, String name,
      String backupId);

  /**
   * Host-bound: fetches every listed file (SHA-256, decryption, zstd) into a scratch directory
   * under path.repo and registers it as a read-only fs repository. Live indices untouched.
   */
  void opensearchStage(OpenSearchStageRequest request);

  /**
   * Restores the chosen indices renamed ({@code lifeboat-restore-RUN-INDEX}) and returns their
   * document counts: the proof, taken before any live index is touched.
   */
  Map<String, Long> opensearchRestoreStaged(OpenSearchStageRequest request);

  /**
   * For each chosen index: blocks writes on the live one, clones it to
   * {@code INDEX-before-RUN} (kept), deletes it, then restores the snapshot under the original
   * names (with its aliases) and counts.
   */
  OpenSearchSwapResult opensearchSwap(OpenSearchStageRequest request);

  /** Host-bound: removes the staged indices, the scratch repository and its directory. */
  void opensearchDiscardStage(OpenSearchStageRequest request);
}
