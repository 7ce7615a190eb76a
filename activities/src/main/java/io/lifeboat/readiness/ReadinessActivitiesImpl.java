package io.lifeboat.readiness;

import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.ActivityFailures;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import java.io.IOException;
import java.util.List;

public class ReadinessActivitiesImpl implements ReadinessActivities {
  private final StoreFactory stores;
  private final RepositoryReadiness repositories;
  private final TargetReadiness targets = new TargetReadiness();

  public ReadinessActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.repositories = new RepositoryReadiness(stores, secrets);
  }

  @Override
  public List<ReadinessFinding> checkRepository(RepositoryProbe probe) {
    return repositories.check(probe);
  }

  @Override
  public List<ReadinessFinding> checkTarget(TargetProbe probe) {
    return targets.check(probe);
  }

  /** {@code PREFIX/reports/readiness/latest.json}: the last run, what status shows. */
  public static String latestKey(String prefix) {
    return RepositoryLayout.reportsRoot(prefix) + "readiness/latest.json";
  }

  /** The last stored run of the repository, or null when none was stored. */
  public static ReadinessReport latest(ObjectStore store, RepositoryConfig repo) {
    String key = latestKey(repo.prefix());
    if (!store.exists(key)) return null;
    return Manifests.read(store, key, ReadinessReport.class);
  }

  @Override
  public ReadinessReport remember(RememberRequest req) {
    return ActivityFailures.typed(() -> {
      ObjectStore store = stores.forRepository(req.repository());
      ReadinessReport before = latest(store, req.repository());
      ReadinessReport now = ReadinessReport.compare(req.estate(), req.checkedAtMillis(),
          req.findings(), before);
      try {
        store.put(latestKey(req.repository().prefix()), Manifests.JSON
            .writerWithDefaultPrettyPrinter().writeValueAsBytes(now), "application/json");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return now;
    });
  }
}
