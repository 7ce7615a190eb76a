package io.lifeboat.rollback;

import io.lifeboat.process.Pm2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.rollback.StagedRelease;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage (copy previous/, links kept as links), install with real npm, swap: the local half of
 * a rollback, run through Temporal's activity test environment.
 */
class StageFromPreviousTest {
  @TempDir Path root;
  private TestActivityEnvironment env;
  private RollbackActivities activities;
  private ApplicationConfig app;

  @BeforeEach
  void setUp() throws Exception {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new RollbackActivitiesImpl(null, new Pm2("pm2"), "npm"));
    activities = env.newActivityStub(RollbackActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2)).build());
    app = new ApplicationConfig("farmtally", root.toString(), null, null, null,
        "http://127.0.0.1:1/api/health", List.of(), null, null, null);
    Path release = Files.createDirectories(root.resolve("releases/1/lib"));
    Files.writeString(release.resolve("../REVISION"), "r1\n");
    Files.writeString(release.resolve("auth.js"), "exports.ok = true;\n");
    Files.createSymbolicLink(release.resolve("alias.js"), Path.of("auth.js"));
    Files.writeString(release.resolve("../package.json"), "{ \"name\": \"t\", \"version\": \"1.0.0\","
        + " \"scripts\": { \"postinstall\": \"node -e \\\"require('fs').writeFileSync('installed','')\\\"\" } }");
    Files.writeString(release.resolve("../package-lock.json"), "{ \"name\": \"t\", \"version\":"
        + " \"1.0.0\", \"lockfileVersion\": 3, \"requires\": true, \"packages\": { \"\": {"
        + " \"name\": \"t\", \"version\": \"1.0.0\" } } }");
    Files.createSymbolicLink(root.resolve("previous"), Path.of("releases/1"));
    Files.createDirectories(root.resolve("current"));
    Files.writeString(root.resolve("current/REVISION"), "r2-broken\n");
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void stagesInstallsAndSwapsWithoutTouchingPrevious() throws Exception {
    StagedRelease staged = activities.stageRelease(new StageRequest(app, null, "run1", null));
    assertEquals("r1", staged.commit());
    assertEquals(4, staged.fileCount(), "REVISION, auth.js, package.json, package-lock.json");
    Path dir = Path.of(staged.stagingDir());
    assertTrue(Files.isSymbolicLink(dir.resolve("lib/alias.js")), "links copied as links");

    // A retry of the stage starts clean and gives the same result.
    Files.writeString(dir.resolve("leftover"), "from a killed attempt");
    activities.stageRelease(new StageRequest(app, null, "run1", null));
    assertFalse(Files.exists(dir.resolve("leftover")));

    activities.installDependencies(new ReleaseStep(app, staged.stagingDir(), "run1"));
    assertTrue(Files.exists(dir.resolve("installed")), "npm ci ran its postinstall");

    activities.swapRelease(new ReleaseStep(app, staged.stagingDir(), "run1"));
    assertEquals("r1", Files.readString(root.resolve("current/REVISION")).strip());
    assertEquals("r2-broken", Files.readString(root.resolve("replaced-run1/REVISION")).strip());
    assertFalse(Files.exists(root.resolve("releases/1/installed")), "previous/ is untouched");
  }
}
