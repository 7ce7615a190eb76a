package io.lifeboat.repository;

import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.repository.RepositoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a failed run left in its backup directory, for every kind of backup. A directory
 * that holds its manifest.json is committed (another run's backup under this id, or this run's
 * own commit that landed although the activity reported a failure): a good backup, and not one
 * object of it is touched. Safe to rerun: what is gone stays gone.
 */
public final class Discard {
  private static final Logger log = LoggerFactory.getLogger(Discard.class);

  private Discard() {}

  /**
   * @param dir the backup directory, with its trailing slash
   * @param uploadListingMayFail a failure to list the directory's unfinished uploads is logged
   *     and the discard goes on (dumps, base backups); false: it fails the discard (application
   *     and configuration backups)
   * @return false when the directory is committed and was left as it is
   */
  public static boolean leftovers(ObjectStore store, String dir, boolean uploadListingMayFail,
      LocalCopy local) {
    if (store.exists(dir + RepositoryLayout.MANIFEST)) {
      log.warn("not discarding {}: it holds a committed manifest", dir);
      return false;
    }
    try {
      store.abortUploads(dir);
    } catch (StorageException e) {
      if (!uploadListingMayFail) throw e;
      log.warn("listing unfinished uploads under {} failed: {}", dir, e.getMessage());
    }
    Retention.deleteManifestFirst(store, dir, store.list(dir), local);
    return true;
  }
}
