package io.lifeboat;

import io.lifeboat.config.ConfigException;
import io.lifeboat.storage.StorageException;
import io.lifeboat.workflows.common.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * The one way an activity's failures leave it: as a typed ApplicationFailure from the
 * {@link FailureKind} registry, so the workflow's retry policy knows what to retry.
 */
public final class ActivityFailures {
  private ActivityFailures() {}

  public static <T> T typed(Supplier<T> body) {
    try {
      return body.get();
    } catch (ApplicationFailure e) {
      throw e;
    } catch (StorageException e) {
      throw e.kind().failure(e.getMessage());
    } catch (ConfigException e) {
      throw FailureKind.CONFIG_INVALID.failure(e.getMessage());
    }
  }
}
