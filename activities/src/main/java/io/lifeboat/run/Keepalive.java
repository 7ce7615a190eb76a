package io.lifeboat.run;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats (without details) while a short activity runs, so the workflow can give it a
 * heartbeat timeout. Without one, a worker killed during a "quick" step is only noticed when
 * the step's start-to-close timeout expires: the fault suite measured a 10 minute stall in a
 * recovery whose target is 30. Only for activities that keep no heartbeat details of their
 * own: a keepalive beat would overwrite them.
 */
public final class Keepalive {
  static final long PERIOD_MILLIS = 2_000;

  private Keepalive() {}

  public static <T> T during(Supplier<T> body) {
    ActivityExecutionContext ctx;
    try {
      ctx = Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return body.get(); // unit tests call the implementation directly
    }
    ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keepalive-" + ctx.getInfo().getActivityType());
      t.setDaemon(true);
      return t;
    });
    beat.scheduleAtFixedRate(() -> {
      try {
        ctx.heartbeat(null);
      } catch (RuntimeException cancelledOrGone) {
        // the activity itself sees cancellation when it ends; nothing to do from here
      }
    }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    try {
      return body.get();
    } finally {
      beat.shutdownNow();
    }
  }
}
