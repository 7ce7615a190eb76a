package io.lifeboat.rollback;

import io.lifeboat.process.Commands;
import io.lifeboat.rollback.ReleaseFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The commit a release was built from. A deployed release is rarely a git checkout (the seed's
 * Jenkins ships artifacts), so a REVISION file in the release (as Capistrano and most CI
 * pipelines write it) comes first; `git rev-parse HEAD` when the release is a checkout; else
 * "unknown".
 */
public final class ReleaseCommit {
  private ReleaseCommit() {}

  public static ReleaseFacts read(Path release) {
    Path revision = release.resolve("REVISION");
    try {
      if (Files.isRegularFile(revision) && Files.size(revision) < 4096) {
        String c = Files.readString(revision).strip();
        if (c.matches("[0-9A-Za-z._-]{1,64}")) {
          return new ReleaseFacts(release.toString(), c, "REVISION");
        }
      }
    } catch (IOException ignored) {
      // fall through to git
    }
    if (Files.exists(release.resolve(".git"))) {
      try {
        Commands.Result r = Commands.run(List.of("git", "-C", release.toString(), "rev-parse",
            "HEAD"), null, Map.of(), Duration.ofSeconds(20), () -> { });
        if (r.exit() == 0 && r.stdout().strip().matches("[0-9a-f]{7,64}")) {
          return new ReleaseFacts(release.toString(), r.stdout().strip(), "git");
        }
      } catch (IOException ignored) {
        // no git on this machine
      }
    }
    return new ReleaseFacts(release.toString(), "unknown", "none");
  }
}
