package io.lifeboat.cli;

import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.worker.TemporalConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** What a command needs, opened lazily: the config, Temporal, the repository. */
public final class Session implements AutoCloseable {
  private final Path configPath;
  private final Map<String, String> env;
  private LifeboatConfig config;
  private TemporalConnection temporal;
  private StoreFactory stores;

  public Session(Path configPath, Map<String, String> env) {
    this.configPath = configPath;
    this.env = env;
  }

  public LifeboatConfig config() {
    if (config == null) config = new ConfigLoader().load(configPath);
    return config;
  }

  public Path configPath() {
    return configPath;
  }

  public DatabaseConfig database(String name) {
    return config().database(name).orElseThrow(() -> new UserError("unknown database '" + name
        + "': " + configPath + " lists " + config().databases().stream()
            .map(DatabaseConfig::name).collect(Collectors.joining(", "))));
  }

  public TemporalConnection temporal() {
    if (temporal == null) temporal = TemporalConnection.open(config().temporal(), env);
    return temporal;
  }

  public Secrets secrets() {
    return new Secrets(env);
  }

  public ObjectStore repository() {
    if (stores == null) stores = new StoreFactory(secrets());
    return stores.forRepository(config().repository());
  }

  /** The repository key the config names, read in this process (wal-push/wal-fetch). */
  public io.lifeboat.storage.crypt.RepositoryCipher cipher() {
    if (stores == null) stores = new StoreFactory(secrets());
    return stores.cipher(config().repository());
  }

  @Override
  public void close() {
    if (temporal != null) temporal.close();
    if (stores != null) stores.close();
  }
}
