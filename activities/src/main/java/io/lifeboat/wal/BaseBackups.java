package io.lifeboat.wal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The base backups of one database as the repository holds them: committed ones (with
 * manifest.json) and the keys of every backup directory, complete or not. Recovery picks a
 * base backup here; retention and the archive check read the same list.
 */
public final class BaseBackups {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ObjectStore store;
  private final String prefix;
  private final String database;

  public BaseBackups(ObjectStore store, String prefix, String database) {
    this.store = store;
    this.prefix = prefix;
    this.database = database;
  }

  /** Every backup directory (id → its keys), in id (= time) order. */
  public TreeMap<String, List<String>> directories() {
    String root = RepositoryLayout.baseBackupsRoot(prefix, database);
    TreeMap<String, List<String>> byId = new TreeMap<>();
    for (String key : store.list(root)) {
      String rest = key.substring(root.length());
      int slash = rest.indexOf('/');
      if (slash > 0) byId.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(key);
    }
    return byId;
  }

  /** Committed base backups, oldest first. */
  public List<BaseBackupManifest> committed() {
    List<BaseBackupManifest> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : directories().entrySet()) {
      if (e.getValue().stream().anyMatch(k -> k.endsWith("/" + RepositoryLayout.MANIFEST))) {
        read(e.getKey()).ifPresent(out::add);
      }
    }
    return out;
  }

  public Optional<BaseBackupManifest> newest() {
    List<BaseBackupManifest> all = committed();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  public Optional<BaseBackupManifest> read(String backupId) {
    String key = RepositoryLayout.baseManifestKey(prefix, database, backupId);
    if (store.head(key).isEmpty()) return Optional.empty();
    try (InputStream in = store.get(key)) {
      return Optional.of(JSON.readValue(in, BaseBackupManifest.class));
    } catch (IOException e) {
      throw new StorageException(FailureKind.BACKUP_CORRUPT, "cannot read " + key + ": "
          + e.getMessage(), e);
    }
  }

  /** The manifest as stored (pretty JSON). */
  public static byte[] json(BaseBackupManifest m) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
