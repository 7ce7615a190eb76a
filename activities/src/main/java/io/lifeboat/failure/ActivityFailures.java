package io.lifeboat.failure;

import io.lifeboat.config.ConfigException;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * The one way an activity's failures leave it: as a typed ApplicationFailure from the
 * {@link FailureKind} registry, so the workflow's retry policy knows what to retry.
 */
public final class ActivityFailures {
  private ActivityFailures() {}

  /** ENOSPC anywhere in the chain (cause or suppressed): the local disk is full. */
  public static boolean diskFull(Throwable t) {
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("No space left on device")) return true;
      for (Throwable s : t.getSuppressed()) {
        if (String.valueOf(s.getMessage()).contains("No space left on device")) return true;
      }
    }
    return false;
  }

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
