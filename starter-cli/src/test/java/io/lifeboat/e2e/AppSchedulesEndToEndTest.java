package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    scheduleIds.addAll(List.of("backup-db-" + db, "backup-app-" + appName, "backup-config-" + stack.tag));

    RealStack.Run apply = stack.cli("schedules", "apply", "--config", config.toString());
    assertEquals(0, apply.exit(), apply.err());
    assertTrue(apply.out().contains("created schedule backup-app-" + appName + ": '0 3 * * *'"), apply.out());
    assertTrue(apply.out().contains("created schedule backup-config-" + stack.tag + ": '0 4 * * 0'"),
        apply.out());
    RealStack.Run again = stack.cli("schedules", "apply", "--config", config.toString());
    assertTrue(again.out().contains("updated schedule backup-app-" + appName), again.out());

    RealStack.Run list = stack.cli("schedules", "list", "--config", config.toString());
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("backup-app-" + appName) && list.out().contains("T03:00:00Z"),
        list.out());
    assertTrue(list.out().contains("backup-config-" + stack.tag) && list.out().contains("T04:00:00Z"),
        list.out());

    stack.run(RealStack.temporalCli(), "schedule", "trigger", "--schedule-id", "backup-app-" + appName,
        "--address", stack.base.temporal().address(), "--namespace", stack.base.temporal().namespace());
    String prefix = stack.prefix + "/app/" + appName + "/";
    boolean committed = false;
    for (int i = 0; i < 120 && !committed; i++) {
      committed = stack.keys().stream().anyMatch(k -> k.startsWith(prefix) && k.endsWith("manifest.json"));
      if (!committed) Thread.sleep(500);
    }
    assertTrue(committed, "the triggered schedule committed an application backup: " + stack.keys());
  }
}
