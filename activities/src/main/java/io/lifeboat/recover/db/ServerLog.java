package io.lifeboat.recover.db;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the recovering server's log says: whether recovery ended before the configured target
 * (the archive ends too early, or no commit follows the target), why a server died, and where
 * it stopped. Read from the last 16 KiB of the log.
 */
final class ServerLog {
  static final String ENDED_BEFORE_TARGET =
      "recovery ended before configured recovery target was reached";

  private ServerLog() {}

  /** The log's last 16 KiB; empty when there is no log. */
  static String tail(Path file) {
    try {
      byte[] all = Files.readAllBytes(file);
      int from = Math.max(0, all.length - 16 * 1024);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether the log says recovery ended before the configured target was reached. */
  static boolean endedBeforeTarget(String logText) {
    return logText.lines().anyMatch(l -> l.contains(ENDED_BEFORE_TARGET));
  }

  /**
   * The failure for a server that stopped: its last FATAL or PANIC line (else the last line);
   * RECOVERY_TARGET_INVALID when that line says the archive ends before the target,
   * RECOVERY_FAILED (naming the log) otherwise.
   */
  static RuntimeException serverDied(String logText, Path logFile) {
    String fatal = logText.lines().filter(l -> l.contains("FATAL") || l.contains("PANIC"))
        .reduce((a, b) -> b).orElse(ClusterControl.lastLine(logText));
    if (fatal.contains(ENDED_BEFORE_TARGET)) {
      return FailureKind.RECOVERY_TARGET_INVALID.failure("the archive ends before the target: "
          + fatal.strip());
    }
    return FailureKind.RECOVERY_FAILED.failure("the recovering server stopped: " + fatal.strip()
        + " (log " + logFile + ")");
  }

  /** The last "recovery stopping ..." message (where a target stopped replay), or null. */
  static String stoppingLine(String logText) {
    return logText.lines().filter(l -> l.contains("recovery stopping"))
        .map(l -> l.substring(l.indexOf("recovery stopping"))).reduce((a, b) -> b).orElse(null);
  }
}
