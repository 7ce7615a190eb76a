package io.lifeboat.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.AgentActivities;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness workflow's logic: every path and check becomes a finding, a failing check or a
 * failing activity is a problem (never a failed run), and people hear about a change between ok
 * and problem once, not on every run.
 */
class ReadinessWorkflowTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final RepositoryConfig PRIMARY = new RepositoryConfig("http://127.0.0.1:9000",
      "farmtally-backups", "lifeboat", null, null, "A", "B", null, null, null, null, null);
  private static final RepositoryConfig OFFSITE = new RepositoryConfig("http://127.0.0.1:9100",
      "farmtally-offsite", "lifeboat", null, null, "C", "D", null, null, null, null, null);

  private TestWorkflowEnvironment env;
  private final List<Delivery> sent = new CopyOnWriteArrayList<>();
  private final List<RepositoryProbe> probes = new CopyOnWriteArrayList<>();
  private final List<String> queuesAsked = new CopyOnWriteArrayList<>();
  private volatile List<String> pollers = List.of();
  private volatile boolean offsiteGap;
  private volatile boolean offsiteDown;
  private volatile ReadinessReport stored;

  @BeforeEach
  void setUp() {
    var options = io.temporal.testing.TestEnvironmentOptions.newBuilder().setInitialTime(NOW);
    for (var key : io.lifeboat.run.LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(),
          io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    Worker worker = env.newWorker("readiness-test");
    worker.registerWorkflowImplementationTypes(ReadinessWorkflowImpl.class);
    worker.registerActivitiesImplementations(new Fake(), (AgentActivities) q -> {
      queuesAsked.add(q);
      return pollers;
    }, (NotificationActivities) sent::add);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** Stands in for the bucket: findings as the test sets them, the last run kept in memory. */
  private final class Fake implements ReadinessActivities {
    @Override
    public List<ReadinessFinding> checkRepository(RepositoryProbe p) {
      probes.add(p);
      if (p.name().equals("offsite") && offsiteDown) {
        throw FailureKind.S3_UNAVAILABLE.failure("connection refused");
      }
      List<ReadinessFinding> out = new ArrayList<>();
      for (String db : p.databases()) {
        String path = "db/" + db + "/" + p.name();
        out.add(ReadinessFinding.ok(path, "keys", "read"));
        out.add(p.name().equals("offsite") && offsiteGap
            ? ReadinessFinding.problem(path, "wal", "1 WAL segment(s) missing")
            : ReadinessFinding.ok(path, "wal", "continuous"));
      }
      return out;
    }

    @Override
    public List<ReadinessFinding> checkTarget(TargetProbe p) {
      return List.of(ReadinessFinding.ok("server/" + p.target().name(), "dns", "not configured"));
    }

    @Override
    public ReadinessReport remember(RememberRequest r) {
      ReadinessReport now = ReadinessReport.compare(r.estate(), r.checkedAtMillis(),
          r.findings(), stored);
      stored = now;
      return now;
    }
  }

  private ReadinessReport run(String id) {
    ReadinessRequest req = new ReadinessRequest("farmtally", "lifeboat",
        List.of(new ReadinessRequest.DatabasePath("farmtally_production", "db1")), List.of(),
        PRIMARY, OFFSITE, null, 15, null, null, NotificationTarget.of(
            new NotificationsConfig(new NotificationsConfig.Webhook("HOOK"), null),
            "http://localhost:8233", "default"));
    return env.getWorkflowClient().newWorkflowStub(ReadinessWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("readiness-test").build())
        .check(req);
  }

  private static ReadinessFinding find(ReadinessReport r, String path, String check) {
    return r.findings().stream().filter(f -> f.path().equals(path) && f.check().equals(check))
        .findFirst().orElseThrow(() -> new AssertionError("no " + path + " " + check + " in "
            + r.findings()));
  }

  @Test
  void agentDownIsAProblemNotifiedOnceAndItsReturnNotifiedAgain() {
    ReadinessReport first = run("readiness-1");
    assertFalse(first.ready());
    ReadinessFinding agent = find(first, "db/farmtally_production", "agent");
    assertFalse(agent.ok());
    assertTrue(agent.detail().contains("no agent polls lifeboat-host-db1"), agent.detail());
    assertEquals(List.of("lifeboat-host-db1"), queuesAsked);
    assertEquals(1, sent.size());
    assertTrue(sent.get(0).notification().subject().contains("1 path check(s) failing"),
        sent.get(0).notification().subject());

    run("readiness-2");
    assertEquals(1, sent.size(), "the same problem on the next run: no second notification");

    pollers = List.of("agent@db1/4242");
    ReadinessReport back = run("readiness-3");
    assertTrue(back.ready(), back.findings().toString());
    assertEquals(2, sent.size(), "problem -> ok is news");
    assertTrue(sent.get(1).notification().details().values().stream()
        .anyMatch(v -> v.startsWith("ok again")), sent.get(1).notification().details().toString());
    run("readiness-4");
    assertEquals(2, sent.size(), "ok and still ok: quiet");
  }

  @Test
  void eachRepositoryIsProbedAndOnlyTheCopyAgainstItsSource() {
    pollers = List.of("agent@db1/1");
    run("readiness-probes");
    assertEquals(2, probes.size());
    RepositoryProbe primary = probes.get(0);
    RepositoryProbe offsite = probes.get(1);
    assertEquals("primary", primary.name());
    assertNull(primary.compareWith(), "the primary's recovery point is the WAL check's job");
    assertEquals("offsite", offsite.name());
    assertEquals(PRIMARY, offsite.compareWith());
    assertEquals(15, offsite.rpoMinutes());
    assertTrue(offsite.nowMillis() >= NOW.toEpochMilli(), "workflow time");
    assertTrue(sent.isEmpty(), "all ready from the first run: nothing to tell");
  }

  @Test
  void offsiteGapAndOffsiteDownAreProblemsOfTheOffsitePathOnly() {
    pollers = List.of("agent@db1/1");
    offsiteGap = true;
    ReadinessReport gap = run("readiness-gap");
    assertFalse(find(gap, "db/farmtally_production/offsite", "wal").ok());
    assertTrue(find(gap, "db/farmtally_production/primary", "wal").ok());

    offsiteGap = false;
    offsiteDown = true;
    ReadinessReport down = run("readiness-down");
    ReadinessFinding f = find(down, "db/farmtally_production/offsite", "wal");
    assertFalse(f.ok());
    assertTrue(f.detail().contains("could not be checked") && f.detail().contains("refused"),
        f.detail());
    assertTrue(find(down, "db/farmtally_production/primary", "keys").ok());
  }
}
