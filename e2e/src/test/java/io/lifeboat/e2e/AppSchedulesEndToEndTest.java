package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * `schedules apply` also creates the daily application and the weekly configuration schedules
 * on the real dev server; triggering the application one takes a backup.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class AppSchedulesEndToEndTest {
  private RealStack stack;
  private SampleApp app;
  private final List<String> scheduleIds = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    app = new SampleApp(stack, Map.of());
    stack.startWorker(SampleApp.workerEnv());
  }

  @AfterEach
  void down() throws Exception {
    for (String id : scheduleIds) {
      try {
        stack.temporal().schedules().getHandle(id).delete();
      } catch (RuntimeException ignored) {
        // not created
      }
    }
    app.close();
    stack.close();
  }

  @Test
  void applyCreatesDailyAppAndWeeklyConfigSchedules() throws Exception {
    String appName = "app-" + stack.tag;
    String db = stack.tag + "_nodb";
    Path hosts = stack.dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n");
    Path config = stack.config("sched", root -> {
      root.put("estate", stack.tag);
      RealStack.addDatabase(root, db); // never the stack's own database schedule
      app.addTo(root);
      ((ObjectNode) root.get("applications").get(0)).put("name", appName);
      root.putObject("configuration").putArray("files").add(hosts.toString());
    });
    // The application schedule names the estate (one namespace may serve several estates).
    String appSchedule = "backup-app-" + stack.tag + "-" + appName;
    String legacy = "backup-app-" + appName;
    scheduleIds.addAll(List.of("backup-db-" + stack.tag + "-" + db, appSchedule, "backup-config-" + stack.tag,
        legacy));
    // A schedule as `schedules apply` made it before the estate was in its id: apply retires it,
    // or it would go on starting a second daily backup.
    createLegacySchedule(config, legacy);

    RealStack.Run apply = stack.cli("schedules", "apply", "--config", config.toString());
    assertEquals(0, apply.exit(), apply.err());
    assertTrue(apply.out().contains("created schedule " + appSchedule + ": '0 3 * * *'"), apply.out());
    assertTrue(apply.out().contains("deleted schedule " + legacy + ": renamed to " + appSchedule),
        apply.out());
    // Gone, for describe and for the list: the list reads the visibility store, which follows
    // a delete a moment later (seen in a fresh clone, where it still held it right after).
    boolean there = true;
    for (int i = 0; i < 120 && there; i++) {
      boolean described;
      try {
        stack.temporal().schedules().getHandle(legacy).describe();
        described = true;
      } catch (RuntimeException notFound) {
        described = false;
      }
      there = described || stack.temporal().schedules().listSchedules()
          .anyMatch(sch -> sch.getScheduleId().equals(legacy));
      if (there) Thread.sleep(250);
    }
    assertTrue(!there, "legacy schedule still there 30 s after its delete");
    assertTrue(apply.out().contains("created schedule backup-config-" + stack.tag + ": '0 4 * * 0'"),
        apply.out());
    RealStack.Run again = stack.cli("schedules", "apply", "--config", config.toString());
    assertTrue(again.out().contains("updated schedule " + appSchedule), again.out());
    assertTrue(!again.out().contains(legacy + ":"), again.out());

    RealStack.Run list = stack.cli("schedules", "list", "--json", "--config", config.toString());
    assertEquals(0, list.exit(), list.err());
    JsonNode rows = new ObjectMapper().readTree(list.out());
    assertTrue(nextRuns(rows, appSchedule).stream().allMatch(t -> t.endsWith("T03:00:00Z"))
        && !nextRuns(rows, appSchedule).isEmpty(), list.out());
    assertTrue(nextRuns(rows, "backup-config-" + stack.tag).stream()
        .allMatch(t -> t.endsWith("T04:00:00Z"))
        && !nextRuns(rows, "backup-config-" + stack.tag).isEmpty(), list.out());

    stack.run(RealStack.temporalCli(), "schedule", "trigger", "--schedule-id", appSchedule,
        "--address", stack.base.temporal().address(), "--namespace", stack.base.temporal().namespace());
    String prefix = stack.prefix + "/app/" + appName + "/";
    boolean committed = false;
    for (int i = 0; i < 120 && !committed; i++) {
      committed = stack.keys().stream().anyMatch(k -> k.startsWith(prefix) && k.endsWith("manifest.json"));
      if (!committed) Thread.sleep(500);
    }
    assertTrue(committed, "the triggered schedule committed an application backup: " + stack.keys());
  }

  /** Paused, so it never fires: only its id and its arguments matter here. */
  /** `schedules list --json`: the next fire times of the row with this id (none: no row). */
  static List<String> nextRuns(JsonNode rows, String id) {
    for (JsonNode r : rows) {
      if (!r.get("id").asText().equals(id) || !r.has("next")) continue;
      List<String> out = new java.util.ArrayList<>();
      r.get("next").forEach(t -> out.add(t.asText()));
      return out;
    }
    return List.of();
  }

  private void createLegacySchedule(Path config, String id) throws Exception {
    io.lifeboat.config.LifeboatConfig c = new io.lifeboat.config.ConfigLoader().load(config);
    var request = new io.lifeboat.backup.app.ApplicationBackupRequest(c.applications().get(0),
        c.repository(), c.retries(), "schedule");
    var action = io.temporal.client.schedules.ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(io.lifeboat.backup.app.ApplicationBackupWorkflow.class)
        .setArguments(request)
        .setOptions(io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId(id)
            .setTaskQueue(stack.taskQueue).build())
        .build();
    var schedule = io.temporal.client.schedules.Schedule.newBuilder()
        .setAction(action)
        .setSpec(io.temporal.client.schedules.ScheduleSpec.newBuilder()
            .setCronExpressions(List.of("0 3 * * *")).build())
        .setState(io.temporal.client.schedules.ScheduleState.newBuilder().setPaused(true)
            .setNote("managed by lifeboat schedules apply").build())
        .build();
    stack.temporal().schedules().createSchedule(id, schedule,
        io.temporal.client.schedules.ScheduleOptions.newBuilder().build());
  }
}
