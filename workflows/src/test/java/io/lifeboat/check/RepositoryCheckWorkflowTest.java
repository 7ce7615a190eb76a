package io.lifeboat.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled check notifies when its findings change, not on every run. */
class RepositoryCheckWorkflowTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");
  private TestWorkflowEnvironment env;
  private final List<CheckRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();
  private volatile CheckReport next;

  @BeforeEach
  void setUp() {
    var options = io.temporal.testing.TestEnvironmentOptions.newBuilder().setInitialTime(NOW);
    for (var key : io.lifeboat.run.LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(),
          io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    Worker worker = env.newWorker("check-test");
    worker.registerWorkflowImplementationTypes(RepositoryCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations((RepositoryCheckActivities) r -> {
      requests.add(r);
      return next;
    }, (NotificationActivities) sent::add);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private CheckReport run(String id) {
    RepositoryConfig repo = new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups",
        "lifeboat", null, null, "A", "B", null, null, null, null, null);
    return env.getWorkflowClient().newWorkflowStub(RepositoryCheckWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("check-test").build())
        .check(new RepositoryCheckRequest(List.of(new CheckSource("db-full", "farmtally_production")),
            repo, ChecksConfig.DEFAULT, "UTC", null, NotificationTarget.of(
                new NotificationsConfig(new NotificationsConfig.Webhook("HOOK"), null),
                "http://localhost:8233", "default")));
  }

  private static SourceCheck stale() {
    return new SourceCheck("db-full", "farmtally_production", 3, "20261119T020000Z", 202500,
        false, true, List.of("farmtally_production (db-full): newest backup 20261119T020000Z is"
            + " 56.2h old (limit 25h)"));
  }

  @Test
  void staleBackupNotifiesWhenNewAndStaysQuietWhileUnchanged() {
    next = new CheckReport(NOW.toEpochMilli(), List.of(stale()), true);
    CheckReport first = run("check-1");
    assertFalse(first.passed());
    CheckRequest asked = requests.get(0);
    assertTrue(asked.remember(), "the scheduled check remembers its findings");
    assertTrue(asked.nowMillis() >= NOW.toEpochMilli(), "workflow time, not a wall clock");
    assertEquals(1, sent.size());
    Notification n = sent.get(0).notification();
    assertEquals(Notification.EVENT_CHECK_FAILED, n.event());
    assertTrue(n.text().contains("56.2h old"), n.text());

    next = new CheckReport(NOW.toEpochMilli(), List.of(stale()), false);
    run("check-2");
    assertEquals(1, sent.size(), "same finding an hour later: no second notification");
  }
}
