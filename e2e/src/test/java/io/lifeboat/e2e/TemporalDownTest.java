package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The read-only verbs that ask Temporal say so when it does not answer: exit 3 and the one
 * usual line, never a list that looks like an answer (`schedules list` used to print every
 * schedule as "not created" and exit 0).
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class TemporalDownTest {
  private RealStack stack;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    // Nothing listens on the discard port: every call is refused (after the SDK's retries).
    config = stack.config("down", root ->
        ((ObjectNode) root.with("temporal")).put("address", "127.0.0.1:9"));
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  @Test
  void readOnlyVerbsExit3WithOneLine() {
    for (List<String> verb : List.of(List.of("schedules", "list"), List.of("waiting"),
        List.of("drill", "list"))) {
      List<String> args = new java.util.ArrayList<>(verb);
      args.addAll(List.of("--config", config.toString()));
      RealStack.Run run = stack.cli(args.toArray(String[]::new));
      assertEquals(3, run.exit(), verb + ": " + run.out() + run.err());
      assertEquals("", run.out(), verb + " printed an answer it does not have");
      String err = run.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.startsWith("lifeboat: cannot reach Temporal"), err);
    }
  }
}
