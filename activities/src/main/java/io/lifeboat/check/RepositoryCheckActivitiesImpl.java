package io.lifeboat.check;

import io.lifeboat.config.ConfigException;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.check.CheckReport;
import io.lifeboat.check.CheckRequest;
import io.lifeboat.check.RepositoryCheckActivities;
import io.lifeboat.failure.FailureKind;

public class RepositoryCheckActivitiesImpl implements RepositoryCheckActivities {
  private final StoreFactory stores;
  private final RepositoryChecker checker;

  public RepositoryCheckActivitiesImpl(StoreFactory stores, RepositoryChecker checker) {
    this.stores = stores;
    this.checker = checker;
  }

  @Override
  public CheckReport check(CheckRequest request) {
    try {
      return checker.check(stores.forRepository(request.repository()), request);
    } catch (StorageException e) {
      throw e.kind().failure(e.getMessage());
    } catch (ConfigException e) {
      throw FailureKind.CONFIG_INVALID.failure(e.getMessage());
    }
  }
}
