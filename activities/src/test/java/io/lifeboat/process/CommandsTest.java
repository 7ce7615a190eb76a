package io.lifeboat.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pm2 and npm get a small environment: the worker's secrets never reach the app. */
class CommandsTest {
  @Test
  void theWorkersSecretsAreNotPassedOn() throws Exception {
    Commands.Result r = Commands.run(List.of("env"), null, Map.of("PM2_HOME", "/tmp/x"),
        Duration.ofSeconds(10), () -> { });
    assertEquals(0, r.exit());
    assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("PATH=")), r.stdout());
    assertTrue(r.stdout().lines().anyMatch(l -> l.equals("PM2_HOME=/tmp/x")), r.stdout());
    for (String line : r.stdout().split("\n")) {
      String name = line.contains("=") ? line.substring(0, line.indexOf('=')) : line;
      assertTrue(Commands.PASSED.contains(name) || name.startsWith("LC_")
          || name.toLowerCase().startsWith("npm_config_") || name.isEmpty()
          || name.equals("PWD") || name.equals("SHLVL") || name.equals("_"),
          "only the allowed variables reach a tool, not " + name);
    }
  }

  @Test
  void aToolThatHangsIsKilledAtItsTimeout() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () ->
        Commands.run(List.of("sleep", "30"), null, Map.of(), Duration.ofSeconds(2), () -> { }));
    assertTrue(e.getMessage().contains("did not finish in 2 s"), e.getMessage());
  }
}
