package io.lifeboat.backup.dump;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetentionConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.backup.dump.RetentionRequest;
import java.time.Instant;
import java.util.List;

/** The dump retention as the activity runs it, for tests in other packages. */
public final class DumpRetentionProbe {
  private DumpRetentionProbe() {}

  public static final RepositoryConfig REPO = new RepositoryConfig("http://127.0.0.1:9", "b",
      "p", null, true, "A", "S", null, null, null, null, null);

  /** Retention of database "app" under prefix "p" (root p/db/app/full/). */
  public static List<String> retention(ObjectStore store, int days, Instant now,
      RetentionConfig.Keep keep, String timezone) {
    return DatabaseBackupActivitiesImpl.retention(store,
        new RetentionRequest(REPO, "app", days, now.toEpochMilli(), keep, timezone));
  }
}
