package io.lifeboat.storage;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.storage.azure.AzureObjectStore;
import io.lifeboat.storage.gcs.GcsObjectStore;
import io.lifeboat.storage.s3.S3ObjectStore;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One client per repository settings, kept for the life of the worker. */
public final class StoreFactory implements AutoCloseable {
  private final Secrets secrets;
  private final Map<RepositoryConfig, ObjectStore> stores = new ConcurrentHashMap<>();
  private final Map<RepositoryConfig.EncryptionConfig, RepositoryCipher> ciphers =
      new ConcurrentHashMap<>();

  public StoreFactory(Secrets secrets) {
    this.secrets = secrets;
  }

  public ObjectStore forRepository(RepositoryConfig repo) {
    return stores.computeIfAbsent(repo, r -> open(r, secrets));
  }

  /** A new client for the repository's type (s3, gcs or azure); the caller closes it. */
  public static ObjectStore open(RepositoryConfig repo, Secrets secrets) {
    return switch (repo.type()) {
      case "gcs" -> new GcsObjectStore(repo);
      case "azure" -> new AzureObjectStore(repo, secrets);
      default -> new S3ObjectStore(repo, secrets);
    };
  }

  /**
   * The cipher the repository's encryption section names ({@link RepositoryCipher#none()} when
   * there is none). The key is read here, in the worker, from the file or variable the config
   * names: workflow arguments carry only that reference.
   */
  public RepositoryCipher cipher(RepositoryConfig repo) {
    RepositoryConfig.EncryptionConfig enc = repo.encryption();
    if (enc == null) return RepositoryCipher.none();
    return ciphers.computeIfAbsent(enc, e -> load(e, secrets));
  }

  /** Loads the key the section names, afresh (no cache): the readiness check reads it so. */
  public static RepositoryCipher load(RepositoryConfig.EncryptionConfig enc, Secrets secrets) {
    if (enc.keyEnv() != null) {
      String json = secrets.optional(enc.keyEnv());
      String source = "repository.encryption.keyEnv " + enc.keyEnv();
      if (json == null || json.isBlank()) {
        throw new StorageException(FailureKind.ENCRYPTION_KEY_MISSING, source + " is not set for"
            + " this process (it must hold the repository keyset JSON)", null);
      }
      return RepositoryCipher.fromJson(json, source);
    }
    Path file = Path.of(enc.keyFile());
    String source = "repository.encryption.keyFile " + file;
    try {
      // Reloaded when the file changes: `keys rotate` renames a new keyset into place, and a
      // worker or WAL shipper that runs for days then seals with the new primary.
      return RepositoryCipher.fromFile(file, source);
    } catch (IOException e) {
      throw new StorageException(FailureKind.ENCRYPTION_KEY_MISSING, "cannot read " + source
          + " (" + e.getClass().getSimpleName() + "); the worker, the CLI and the WAL shipper"
          + " (as the PostgreSQL OS user) must be able to read it", null);
    }
  }

  @Override
  public void close() {
    stores.values().forEach(ObjectStore::close);
    stores.clear();
  }
}
