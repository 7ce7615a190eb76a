package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@code lifeboat drill stats} over three real drills (database scenario, approved through the
 * CLI): two monthly ones, the second failing its data-integrity criterion (a validation query's
 * minimum above the rows restored), and a quarterly one. The stats come from the reports the
 * drills stored in the repository, read with Temporal not involved.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DrillStatsEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private Path config(String name, String db, int minimum) throws Exception {
    return stack.config(name, root -> {
      root.put("estate", stack.tag);
      ((ObjectNode) root.with("drills")).put("lead", "ana").put("reminderMinutes", 60)
          .putArray("approvers").add("ana");
      RealStack.addDatabase(root, db).putArray("validation").addObject()
          .put("name", "tallies present").put("sql", "select count(*) from tallies")
          .put("minimum", minimum);
    });
  }

  /** Starts a database drill, approves its two steps as the runbook says, waits for its end. */
  private String drill(Path config, String kind) throws Exception {
    String id = Drills.startApproved(stack, stack.env, config, kind, "database", "ana");
    try {
      stack.temporal().client().newUntypedWorkflowStub(id).getResult(5, TimeUnit.MINUTES,
          Object.class);
    } catch (io.temporal.client.WorkflowFailedException failed) {
      // the drill that fails its criteria: its report is stored all the same
    }
    return id;
  }

  @Test
  void statsOverThreeStoredDrills() throws Exception {
    String db = stack.createDatabase("stats", 300);
    Path good = config("stats", db, 300);
    Path bad = config("stats-bad", db, 1000);
    stack.startWorker();
    assertEquals(0, stack.cli("backup", "db", db, "--wait", "--config", good.toString()).exit());

    RealStack.Run none = stack.cli("drill", "stats", "--config", good.toString());
    assertEquals(0, none.exit(), none.err());
    assertTrue(none.out().contains("no drill reports in the repository yet"), none.out());

    String first = drill(good, "monthly");
    String failed = drill(bad, "monthly");
    String quarterly = drill(good, "quarterly");

    RealStack.Run json = stack.cli("drill", "stats", "--json", "--config", good.toString());
    assertEquals(0, json.exit(), json.err());
    JsonNode st = new ObjectMapper().readTree(json.out());
    assertEquals(3, st.get("drills").asInt(), json.out());
    assertEquals(2, st.get("passed").asInt(), json.out());
    assertEquals(2.0 / 3, st.get("successRate").asDouble(), 1e-9);
    assertFalse(st.get("successOnTarget").asBoolean(), "67 % is under the 95 % target");
    // every drill: approve-start and sign-off-database, both approved by the lead
    assertEquals(6, st.get("adherence").get("planned").asInt(), json.out());
    assertEquals(6, st.get("adherence").get("done").asInt(), json.out());
    assertTrue(st.get("adherence").get("onTarget").asBoolean());
    List<String> ids = new java.util.ArrayList<>();
    st.get("runs").forEach(r -> ids.add(r.get("workflowId").asText()));
    assertEquals(List.of(first, failed, quarterly), ids, "oldest first");
    assertFalse(st.get("runs").get(1).get("passed").asBoolean());
    JsonNode database = st.get("scenarios").get(0);
    assertEquals("database", database.get("scenario").asText());
    assertEquals(3, database.get("runs").asInt(), "a failed criterion still has its time");
    assertEquals(3, database.get("met").asInt(), "300 rows restore well within 30 minutes");
    for (JsonNode p : database.get("points")) {
      assertTrue(p.get("machineMillis").asLong() > 0, p.toString());
      assertEquals(stack.base.targets().databaseRtoMinutes() * 60_000L,
          p.get("rtoMillis").asLong(), p.toString());
    }
    for (JsonNode c : st.get("cadences")) {
      assertFalse(c.get("overdue").asBoolean(), c.toString());
      assertFalse(c.get("lastPassed").isNull(), c.toString());
    }

    RealStack.Run text = stack.cli("drill", "stats", "--config", good.toString());
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("2 of 3 drills passed: 66.7 % (target 95.0 %: NOT met)"),
        text.out());
    assertTrue(text.out().contains("6 of 6 runbook steps approved: 100.0 %"), text.out());
    assertTrue(text.out().contains("database     3 runs, 3 within RTO"), text.out());
  }
}
