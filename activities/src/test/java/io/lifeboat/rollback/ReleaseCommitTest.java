package io.lifeboat.rollback;

import io.lifeboat.process.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.rollback.ReleaseFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the commit in a backup's name comes from: REVISION, else git, else "unknown". */
class ReleaseCommitTest {
  @TempDir Path dir;

  private void git(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", dir.toString(),
        "-c", "user.name=t", "-c", "user.email=t@example.invalid"));
    argv.addAll(List.of(args));
    Commands.Result r = Commands.run(argv, null, Map.of(), Duration.ofSeconds(30), () -> { });
    assertEquals(0, r.exit(), r.stderr());
  }

  @Test
  void aRevisionFileWins() throws Exception {
    Files.writeString(dir.resolve("REVISION"), "1a2b3c4d\n");
    ReleaseFacts f = ReleaseCommit.read(dir);
    assertEquals("1a2b3c4d", f.commit());
    assertEquals("REVISION", f.commitSource());
  }

  @Test
  void aCheckoutAnswersGitRevParse() throws Exception {
    Files.writeString(dir.resolve("server.js"), "x");
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "release");
    ReleaseFacts f = ReleaseCommit.read(dir);
    assertEquals("git", f.commitSource());
    assertTrue(f.commit().matches("[0-9a-f]{40}"), f.commit());
  }

  @Test
  void otherwiseUnknown() {
    assertEquals("unknown", ReleaseCommit.read(dir).commit());
  }

  @Test
  void aRevisionFileThatIsNotACommitIsIgnored() throws Exception {
    Files.writeString(dir.resolve("REVISION"), "../../etc/passwd; rm -rf /");
    assertEquals("unknown", ReleaseCommit.read(dir).commit());
  }
}
