package io.lifeboat.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Restore point manifests in the repository: plain JSON at {@code points/NAME.json}. */
public final class RestorePoints {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RestorePoints() {}

  static void write(ObjectStore store, String key, RestorePointManifest m) {
    try {
      store.put(key, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m),
          "application/json");
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot write " + key + ": " + e.getMessage());
    }
  }

  /** The point's manifest, empty when no point has that name. */
  public static Optional<RestorePointManifest> read(ObjectStore store, String prefix,
      String name) {
    String key = RepositoryLayout.pointKey(prefix, name);
    if (!store.exists(key)) return Optional.empty();
    try (InputStream in = store.get(key)) {
      return Optional.of(JSON.readValue(in, RestorePointManifest.class));
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("cannot read " + key + ": " + e.getMessage());
    }
  }
}
