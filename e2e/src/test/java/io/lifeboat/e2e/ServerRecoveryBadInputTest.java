package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * `recover server` refuses what it cannot do before anything starts: one line on stderr,
 * exit 2, no workflow, the target's directory untouched.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ServerRecoveryBadInputTest {
  private RealStack stack;
  private Path config;
  private Path root;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    root = stack.dir.resolve("targets");
    config = stack.config("server-bad", c -> {
      ArrayNode apps = c.putArray("applications");
      apps.addObject().put("name", "farmtally").put("releaseRoot", "/opt/farmtally")
          .put("healthUrl", "http://127.0.0.1:3300/api/health");
      String db = c.get("databases").get(0).get("name").asText();
      int prodPort = c.get("databases").get(0).get("port").asInt();
      ArrayNode servers = c.putArray("servers");
      target(servers, "dr", db, 55999).put("root", root.resolve("dr").toString());
      target(servers, "old-prod", db, 55998).put("production", true);
      // Same PostgreSQL as production: recovering onto it would overwrite production.
      target(servers, "clash", db, prodPort).put("address", "127.0.0.1");
    });
  }

  private ObjectNode target(ArrayNode servers, String name, String db, int pgPort) {
    ObjectNode t = servers.addObject();
    t.put("name", name).put("address", "127.0.0.2").put("root", root.resolve(name).toString())
        .put("domain", "farmtally.test").put("database", db).put("application", "farmtally")
        .put("inventory", "/nonexistent/inventory.ini").put("playbook", "/nonexistent/site.yml");
    t.putObject("postgres").put("port", pgPort).put("host", "127.0.0.1");
    return t;
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private void refused(String phrase, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "recover";
    all[1] = "server";
    System.arraycopy(args, 0, all, 2, args.length);
    all[all.length - 2] = "--config";
    all[all.length - 1] = config.toString();
    RealStack.Run r = stack.cli(all);
    assertEquals(2, r.exit(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(phrase), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void refusesUnknownTargetsProductionAndAmbiguityBeforeStartingAnything() {
    refused("unknown target 'nope'", "--target", "nope");
    refused("is the production server (it is marked production: true)", "--target", "old-prod");
    refused("is production's database", "--target", "clash");
    refused("name the target with --target (dr, old-prod, clash)");
    refused("unknown target", "--target", "../../etc");
    assertEquals(0, stack.temporal().client()
        .listExecutions("TaskQueue = '" + stack.taskQueue + "'").count());
    assertFalse(Files.exists(root), "nothing was written to any target");
  }
}
