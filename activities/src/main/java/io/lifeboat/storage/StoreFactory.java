package io.lifeboat.storage;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.s3.S3ObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One client per repository settings, kept for the life of the worker. */
public final class StoreFactory implements AutoCloseable {
  private final Secrets secrets;
  private final Map<RepositoryConfig, ObjectStore> stores = new ConcurrentHashMap<>();

  public StoreFactory(Secrets secrets) {
    this.secrets = secrets;
  }

  public ObjectStore forRepository(RepositoryConfig repo) {
    return stores.computeIfAbsent(repo, r -> new S3ObjectStore(r, secrets));
  }

  @Override
  public void close() {
    stores.values().forEach(ObjectStore::close);
    stores.clear();
  }
}
