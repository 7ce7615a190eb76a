package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The engines `./lifeboat up` starts beside PostgreSQL (launcher/engines.bash, issue 19), as
 * `./lifeboat demo` uses them: the launcher's own functions start a MariaDB, a Redis and an
 * OpenSearch node with the FarmTally sample data (on free ports, in this test's directory,
 * never the stack's fixed ones), and `backup mariadb|redis|opensearch NAME --wait` commits a
 * backup of each through this test's worker; `check --kind` then finds each fresh. The
 * launcher's stop leaves none of their ports open.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class LocalEnginesEndToEndTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private RealStack stack;
  private Path state;
  private Path config;
  private final Map<String, String> env = new HashMap<>(System.getenv());

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    env.put("LIFEBOAT_IT_MARIADB_PW", "maria local");
    env.put("LIFEBOAT_IT_REDIS_PW", "redis-local");
    stack.startWorker(env);
    state = stack.dir.resolve("state");
    int mariadb = RedisServer.freePort();
    int redis = RedisServer.freePort();
    int search = freePortPair();
    config = stack.config("engines", root -> {
      root.putArray("mariadb").addObject().put("name", "billing").put("port", mariadb)
          .put("user", "lifeboat").put("passwordEnv", "LIFEBOAT_IT_MARIADB_PW")
          .putArray("databases").add("farmtally_billing");
      root.putArray("redis").addObject().put("name", "sessions").put("port", redis)
          .put("passwordEnv", "LIFEBOAT_IT_REDIS_PW");
      root.putArray("opensearch").addObject().put("name", "search")
          .put("url", "http://127.0.0.1:" + search)
          .put("snapshotDir", state.resolve("opensearch-search/repo/lifeboat").toString());
    });
  }

  @AfterEach
  void down() throws Exception {
    if (state != null && Files.exists(state)) launcher("stop_engines");
    stack.close();
  }

  /** A free port whose successor is free too (the node's transport port). */
  private static int freePortPair() throws Exception {
    while (true) {
      int p = RedisServer.freePort();
      try (var s = new java.net.ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
        return p;
      } catch (java.io.IOException taken) {
        // try another
      }
    }
  }

  /** The launcher's parts with the state directory here, then the given commands. */
  private RealStack.Run launcher(String commands) throws Exception {
    String script = String.join("\n", "set -Eeuo pipefail",
        ". \"$ROOT/launcher/common.bash\"",
        "STATE=\"$LB_STATE\" RUN=\"$LB_STATE/run\" LOGS=\"$LB_STATE/logs\"",
        ". \"$ROOT/launcher/build.bash\"", ". \"$ROOT/launcher/stack.bash\"",
        ". \"$ROOT/launcher/engines.bash\"",
        "classpath; mkdir -p \"$RUN\" \"$LOGS\"; CONFIG=\"$LB_CONFIG\"", commands, "");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
    pb.environment().putAll(env);
    pb.environment().put("ROOT", ROOT.toString());
    pb.environment().put("LB_STATE", state.toString());
    pb.environment().put("LB_CONFIG", config.toString());
    pb.environment().put("LIFEBOAT_CLASSPATH", ROOT.resolve("starter-cli/target/lifeboat-cli.jar")
        + ":" + ROOT.resolve("starter-cli/target/lib/*"));
    Path out = Files.createTempFile(stack.dir, "launcher", ".out");
    Path err = Files.createTempFile(stack.dir, "launcher", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(
        ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the launcher's " + commands + " did not end");
    }
    return new RealStack.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void theLaunchersEnginesAreBackedUpLikeTheDemoDoesAndStopLeavesNothing() throws Exception {
    Files.createDirectories(state);
    RealStack.Run up = launcher("load_local_sources; engines_port_check; start_engines");
    assertEquals(0, up.exit(), up.out() + up.err());
    assertTrue(up.out().contains("mariadb billing: created database farmtally_billing"), up.out());
    assertTrue(up.out().contains("redis sessions: loaded FarmTally's sessions and cache (503 keys)"),
        up.out());
    assertTrue(up.out().contains("opensearch search: created the index tallies (1000 documents)"),
        up.out());
    List<String> started = Files.readAllLines(state.resolve("run/engines.list"));
    assertEquals(3, started.size(), started.toString());

    for (String line : started) {
      String[] f = line.split(" ");
      RealStack.Run b = stack.cli(env, "backup", f[0], f[1], "--wait", "--config",
          config.toString());
      assertEquals(0, b.exit(), line + ": " + b.out() + b.err());
      assertTrue(b.out().contains("is committed"), line + ": " + b.out());
      RealStack.Run check = stack.cli(env, "check", "--kind", f[0], "--config",
          config.toString());
      assertEquals(0, check.exit(), line + ": " + check.out() + check.err());
    }
    for (String kind : List.of("mariadb/billing/", "redis/sessions/", "opensearch/search/")) {
      assertTrue(stack.keys().stream().anyMatch(k -> k.contains("/" + kind)
          && k.endsWith("/manifest.json")), kind + " manifest in " + stack.keys());
    }

    RealStack.Run stop = launcher("stop_engines");
    assertEquals(0, stop.exit(), stop.out() + stop.err());
    for (String line : started) {
      int port = Integer.parseInt(line.split(" ")[3]);
      assertFalse(answers(port), line + ": still answering after stop");
    }
    assertFalse(Files.exists(state.resolve("run/engines.list")));
  }
}
