package io.lifeboat.recover.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The marker file ({@value #MARKER}) in a recovery's data directory: how far the recovery got
 * (downloaded, replaying, promoted, swapped), written atomically, so that every step can be
 * re-run and finds where the last attempt stopped.
 */
final class RecoveryMarker {
  static final String MARKER = "lifeboat.recovery";

  private RecoveryMarker() {}

  /** The directory's state line; empty when it has no marker. */
  static String state(Path dir) {
    try {
      return Files.readString(dir.resolve(MARKER)).strip();
    } catch (IOException e) {
      return "";
    }
  }

  static boolean replayingOrLater(Path dir) {
    String s = state(dir);
    return s.startsWith("replaying") || s.startsWith("promoted");
  }

  static void writeState(ClusterControl control, Path dir, String state)
      throws IOException {
    Path tmp = dir.resolve(MARKER + ".tmp");
    Files.writeString(tmp, state + "\n", StandardCharsets.UTF_8);
    control.own(tmp);
    Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
