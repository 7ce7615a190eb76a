package io.lifeboat.backup.dump;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.verify.VerificationRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads what the repository says about itself: manifests and verification records. */
public final class Manifests {
  /** Newer writers may add fields; an older reader must still list the backup. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Manifests() {}

  /** Committed full backups of a database, oldest first (ids sort by time). */
  public static List<BackupManifest> committed(ObjectStore store, String prefix, String database) {
    List<BackupManifest> found = new ArrayList<>();
    for (String key : store.list(RepositoryLayout.fullBackupsRoot(prefix, database))) {
      if (key.endsWith("/" + RepositoryLayout.MANIFEST)) {
        found.add(read(store, key, BackupManifest.class));
      }
    }
    found.sort(Comparator.comparing(BackupManifest::backupId));
    return found;
  }

  public static Optional<BackupManifest> newest(ObjectStore store, String prefix, String database) {
    List<BackupManifest> all = committed(store, prefix, database);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The latest verification record of a backup, if it was ever verified. */
  public static Optional<VerificationRecord> lastVerification(ObjectStore store, String prefix,
      String database, String backupId) {
    String last = null;
    for (String key : store.list(RepositoryLayout.fullBackupDir(prefix, database, backupId))) {
      if (RepositoryLayout.isVerificationRecord(key) && (last == null || key.compareTo(last) > 0)) {
        last = key;
      }
    }
    return last == null ? Optional.empty() : Optional.of(read(store, last, VerificationRecord.class));
  }

  public static <T> T read(ObjectStore store, String key, Class<T> type) {
    try (InputStream in = store.get(key)) {
      return JSON.readValue(in, type);
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure(key + " is not readable JSON: " + e.getMessage());
    }
  }
}
