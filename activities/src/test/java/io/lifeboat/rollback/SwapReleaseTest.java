package io.lifeboat.rollback;

import io.lifeboat.process.Pm2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.SwapResult;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swap is two renames; whatever point a crash stopped it at, running it again ends it. */
class SwapReleaseTest {
  @TempDir Path root;
  private RollbackActivitiesImpl activities;
  private ReleaseStep step;

  @BeforeEach
  void layout() throws Exception {
    activities = new RollbackActivitiesImpl(null, new Pm2("pm2"), "npm");
    ApplicationConfig app = new ApplicationConfig("farmtally", root.toString(), null, null, null,
        "http://127.0.0.1:1/api/health", List.of(), null, null, null);
    Path staged = RollbackActivitiesImpl.staging(root, "run1");
    Files.createDirectories(root.resolve("current"));
    Files.writeString(root.resolve("current/REVISION"), "broken");
    Files.createDirectories(staged);
    Files.writeString(staged.resolve("REVISION"), "good");
    step = new ReleaseStep(app, staged.toString(), "run1");
  }

  private String revision(String dir) throws Exception {
    return Files.readString(root.resolve(dir).resolve("REVISION"));
  }

  @Test
  void swapsAndKeepsTheReplacedRelease() throws Exception {
    SwapResult r = activities.swapRelease(step);
    assertFalse(r.alreadyDone());
    assertEquals("good", revision("current"));
    assertEquals("broken", revision("replaced-run1"));
    assertFalse(Files.exists(Path.of(step.stagingDir())));
  }

  @Test
  void aRetryAfterTheSwapFindsItDone() throws Exception {
    activities.swapRelease(step);
    SwapResult again = activities.swapRelease(step);
    assertTrue(again.alreadyDone());
    assertEquals("good", revision("current"));
  }

  @Test
  void aCrashBetweenTheRenamesIsFinishedByTheRetry() throws Exception {
    Files.move(root.resolve("current"), root.resolve("replaced-run1")); // first rename only
    SwapResult r = activities.swapRelease(step);
    assertFalse(r.alreadyDone());
    assertEquals("good", revision("current"));
    assertEquals("broken", revision("replaced-run1"));
  }

  /** A new server (the server recovery): no current/ before, so no replaced-RUN after. */
  @Test
  void aRetryAfterAFirstInstallFindsItDone() throws Exception {
    Files.delete(root.resolve("current/REVISION"));
    Files.delete(root.resolve("current"));
    SwapResult r = activities.swapRelease(step);
    assertFalse(r.alreadyDone());
    SwapResult again = activities.swapRelease(step);
    assertTrue(again.alreadyDone(), "the SIGKILL after the swap, before its completion");
    assertEquals("good", revision("current"));
    assertFalse(Files.exists(root.resolve("replaced-run1")));
  }

  @Test
  void aReleaseSwappedInByAnotherRunIsNotTakenForThisOne() throws Exception {
    Files.writeString(root.resolve("current").resolve(RollbackActivitiesImpl.SWAP_MARKER),
        "run0\n");
    Files.delete(Path.of(step.stagingDir()).resolve("REVISION"));
    Files.delete(Path.of(step.stagingDir()));
    ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> activities.swapRelease(step));
    assertEquals(FailureKind.APP_RELEASE_MISSING.type(), e.getType());
  }

  @Test
  void aVanishedStagedReleaseIsNotRetried() throws Exception {
    Files.delete(Path.of(step.stagingDir()).resolve("REVISION"));
    Files.delete(Path.of(step.stagingDir()));
    ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> activities.swapRelease(step));
    assertEquals(FailureKind.APP_RELEASE_MISSING.type(), e.getType());
    assertTrue(e.isNonRetryable());
    assertEquals("broken", revision("current"), "current/ untouched");
  }
}
