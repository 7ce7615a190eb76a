package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.lifeboat.wal.BaseBackups;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 22, backups of every kind tell people: a real HTTP webhook receiver gets "started" and
 * "finished" (backup id, stored bytes, duration) from a real base backup, application backup
 * and configuration backup, and "started" and "failed" (failed step, failure kind, one-line
 * cause) from a Redis backup whose server is down.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class BackupNotificationsEndToEndTest {
  private static final String HOOK_ENV = "LIFEBOAT_TEST_WEBHOOK_URL";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RealStack stack;
  private ArchivingCluster cluster;
  private SampleApp app;
  private HttpServer receiver;
  private String db;
  private Path config;
  private final List<String> texts = new CopyOnWriteArrayList<>();

  /** One received message: the subject line, the event and the details list. */
  record Message(String subject, String event, Map<String, String> details, String text) {
    static Message parse(String text) {
      String subject = text.lines().findFirst().orElse("").replaceAll("^\\*|\\*$", "");
      String event = text.substring(text.lastIndexOf("(event: ") + 8, text.lastIndexOf(')'));
      Map<String, String> d = new LinkedHashMap<>();
      text.lines().filter(l -> l.startsWith("- ") && l.contains(": ")).forEach(l ->
          d.put(l.substring(2, l.indexOf(": ")), l.substring(l.indexOf(": ") + 2)));
      return new Message(subject, event, d, text);
    }
  }

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_bnews";
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      JsonNode body = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      texts.add(body.get("text").asText());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    Path etc = stack.dir.resolve("etc");
    Files.createDirectories(etc.resolve("nginx"));
    Files.writeString(etc.resolve("nginx/nginx.conf"), "events {}\nhttp {}\n");
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    app = new SampleApp(stack, Map.of(), "farmtally-" + stack.tag);
    int pgPort = ArchivingCluster.freePort();
    int redisPort = RedisServer.freePort(); // nothing listens there: the server is down
    config = stack.config("bnews", root -> {
      root.put("estate", stack.tag);
      ArchivingCluster.point(root, db, pgPort);
      app.addTo(root);
      ObjectNode c = root.putObject("configuration");
      c.put("nginxDir", etc.resolve("nginx").toString());
      c.putArray("files").add(etc.resolve("hosts").toString());
      root.putArray("redis").addObject().put("name", "cache").put("address", "127.0.0.1")
          .put("port", redisPort).put("dataDir", stack.dir.resolve("redis-data").toString());
      root.putObject("notifications").putObject("webhook").put("urlEnv", HOOK_ENV);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, pgPort, config);
      cluster.psql("create database " + db);
    } catch (Exception e) {
      if (cluster != null) cluster.close();
      receiver.stop(0);
      app.close();
      stack.close();
      throw e;
    }
    Map<String, String> env = new HashMap<>(SampleApp.workerEnv());
    env.put(HOOK_ENV, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    stack.startWorker(env);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (cluster != null) cluster.close();
      if (app != null) app.close();
    } finally {
      receiver.stop(0);
      stack.close();
    }
  }

  /** The messages received so far about one source, in order. */
  private List<Message> about(String source) {
    return texts.stream().map(Message::parse)
        .filter(m -> source.equals(m.details().get("Source"))).toList();
  }

  private void assertFinished(String kind, String source, String backupId) {
    List<Message> ms = about(source);
    assertEquals(List.of("backup-started", "backup-finished"),
        ms.stream().map(Message::event).toList(), texts.toString());
    for (Message m : ms) {
      assertEquals(kind, m.details().get("Kind"), m.text());
      assertTrue(m.text().contains("/namespaces/default/workflows/"), "a link: " + m.text());
    }
    Message f = ms.get(1);
    assertTrue(f.subject().contains(" of " + source + " finished"), f.subject());
    assertEquals(backupId, f.details().get("Backup id"), f.text());
    assertTrue(Long.parseLong(f.details().get("Stored bytes")) > 0, f.text());
    assertTrue(f.details().containsKey("Duration"), f.text());
    assertTrue(f.text().contains(backupId + " finished in "), f.text());
  }

  private String backupId(RealStack.Run run) throws Exception {
    assertEquals(0, run.exit(), run.out() + run.err());
    return JSON.readTree(run.out()).path("manifest").path("backupId").asText();
  }

  @Test
  void everyKindSaysStartedAndFinishedAndAFailingOneSaysWhy() throws Exception {
    cluster.pgbench("-i", "-s", "1", "-q");
    RealStack.Run base = stack.cli("backup", "base", db, "--wait", "--config", config.toString());
    assertEquals(0, base.exit(), base.out() + base.err());
    String baseId = new BaseBackups(stack.store(), stack.prefix, db).committed().get(0).backupId();
    assertFinished("db-base", db, baseId);
    assertEquals(baseId, about(db).get(0).details().get("Backup id"), "started names the id");

    String appId = backupId(stack.cli("backup", "app", app.name, "--wait", "--json",
        "--config", config.toString()));
    assertFinished("app", app.name, appId);

    String configId = backupId(stack.cli("backup", "config", "--wait", "--json", "--config",
        config.toString()));
    assertFinished("config", stack.tag, configId);

    RealStack.Run redis = stack.cli("backup", "redis", "cache", "--wait", "--config",
        config.toString());
    assertNotEquals(0, redis.exit(), redis.out());
    List<Message> ms = about("cache");
    assertEquals(List.of("backup-started", "failure"), ms.stream().map(Message::event).toList(),
        texts.toString());
    Message failed = ms.get(1);
    assertEquals("[lifeboat] Redis backup of cache failed", failed.subject(), failed.text());
    assertEquals("redis", failed.details().get("Kind"));
    assertEquals("assess", failed.details().get("Failed step"), failed.text());
    assertEquals("Lifeboat.REDIS_UNAVAILABLE", failed.details().get("Failure kind"),
        failed.text());
    assertTrue(failed.details().get("Cause").contains("does not answer"), failed.text());
    assertTrue(failed.details().containsKey("Backup id"), failed.text());
    assertTrue(redis.err().contains(failed.details().get("Cause")),
        "the CLI's line and the message agree: " + redis.err() + " / " + failed.text());
    assertEquals(8, texts.size(), "nothing else was sent: " + texts);
  }
}
