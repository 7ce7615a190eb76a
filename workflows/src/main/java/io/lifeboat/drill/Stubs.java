package io.lifeboat.drill;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.ActivityStubs;
import java.time.Duration;

/** Activity stubs as every Lifeboat workflow sets them: the config's retries, our types final. */
final class Stubs {
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private Stubs() {}

  static <T> T of(Class<T> type, RetryConfig retry, Duration startToClose, boolean heartbeat) {
    return ActivityStubs.of(type, retry, startToClose,
        heartbeat ? HEARTBEAT : null);
  }

  static String duration(long millis) {
    long s = Math.max(0, millis) / 1000;
    if (s >= 3600) return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
    if (s >= 60) return String.format("%dm %02ds", s / 60, s % 60);
    return String.format("%.1fs", Math.max(0, millis) / 1000.0);
  }
}
