package io.lifeboat.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.WalConfig;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.TestEnvironments;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A point the schedule takes (no name in its request) is named by the time it fires, and that
 * name is the one marked in each database and written in the manifest; a named point keeps
 * its name.
 */
class ScheduledRestorePointTest {
  private static final List<String> names = new CopyOnWriteArrayList<>();
  private TestWorkflowEnvironment env;

  static final class Points implements RestorePointActivities {
    @Override
    public void requireNewRestorePoint(RepositoryConfig repository, String name) {
      names.add("require " + name);
    }

    @Override
    public DatabasePoint createRestorePoint(RepositoryConfig repository, WalConfig wal,
        DatabaseConfig database, String name) {
      names.add("mark " + database.name() + " " + name);
      return new DatabasePoint(database.name(), "0/3000060", "000000010000000000000003", null);
    }

    @Override
    public String writeRestorePointManifest(RepositoryConfig repository,
        RestorePointManifest manifest) {
      names.add("manifest " + manifest.name());
      return "p/points/" + manifest.name() + ".json";
    }
  }

  @BeforeEach
  void setUp() {
    names.clear();
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-06T01:00:00Z"));
    Worker worker = env.newWorker(TaskQueues.DEFAULT);
    worker.registerWorkflowImplementationTypes(RestorePointWorkflowImpl.class);
    worker.registerActivitiesImplementations(new Points());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RestorePointManifest take(String name) {
    DatabaseConfig db = new DatabaseConfig("farmtally_production", "127.0.0.1", 55432,
        "lifeboat", "LIFEBOAT_PG_PASSWORD", null, List.of());
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "b", "p", "us-east-1",
        true, "A", "S", null, null, null, null, null);
    RestorePointRequest r = new RestorePointRequest("farmtally", name, repo, WalConfig.DEFAULT,
        List.of(db), Map.of(), null, new RetryConfig(1, 1, 1));
    return env.getWorkflowClient().newWorkflowStub(RestorePointWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.DEFAULT)
            .setWorkflowId("snapshot-farmtally-" + (name == null ? "scheduled" : name)).build())
        .snapshot(r);
  }

  @Test
  void aScheduledPointIsNamedByTheTimeItFires() {
    RestorePointManifest m = take(null);
    assertTrue(m.name().matches("auto-20261206T01[0-9]{2}Z"), m.name());
    assertTrue(RestorePointWorkflow.validName(m.name()));
    assertEquals(List.of("require " + m.name(), "mark farmtally_production " + m.name(),
        "manifest " + m.name()), names);
  }

  @Test
  void aNamedPointKeepsItsName() {
    assertEquals("before-upgrade", take("before-upgrade").name());
    assertEquals(List.of("require before-upgrade", "mark farmtally_production before-upgrade",
        "manifest before-upgrade"), names);
  }
}
