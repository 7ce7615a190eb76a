package io.lifeboat.readiness;

import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.ActivityFailures;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
      ReadinessReport now = compare(req, before);
      try {
        store.put(latestKey(req.repository().prefix()), Manifests.JSON
            .writerWithDefaultPrettyPrinter().writeValueAsBytes(now), "application/json");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return now;
    });
  }

  /** A path check changed when its state differs from the last run; new ones only as problems. */
  static ReadinessReport compare(RememberRequest req, ReadinessReport before) {
    Map<String, Boolean> was = new HashMap<>();
    if (before != null) before.findings().forEach(f -> was.put(f.key(), f.ok()));
    List<ReadinessFinding> changed = new ArrayList<>();
    for (ReadinessFinding f : req.findings()) {
      Boolean prior = was.get(f.key());
      if (prior == null ? !f.ok() : prior != f.ok()) changed.add(f);
    }
    return new ReadinessReport(req.estate(), req.checkedAtMillis(), req.findings(), changed,
        before == null ? 0 : before.checkedAtMillis());
  }
}
