package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.config.Secrets;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.MetricsServer;
import io.lifeboat.worker.TemporalConnection;
import io.lifeboat.worker.WorkerMetrics;
import io.lifeboat.backup.dump.BackupManifest;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The daily verification against the real stack: a healthy backup restores into a scratch
 * database and passes its queries; the same backup with one stored byte flipped fails, the
 * worker's /metrics says so, and a real HTTP receiver and a real SMTP server get the news.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class VerificationEndToEndTest {
  private static final String HOOK_ENV = "LIFEBOAT_TEST_WEBHOOK_URL";

  private RealStack stack;
  private HttpServer receiver;
  private GreenMail smtp;
  private WorkerMetrics metrics;
  private TemporalConnection connection;
  private LifeboatWorker worker;
  private MetricsServer metricsServer;
  private final List<String> webhookBodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    // A worker wired as WorkerMain wires it: SDK and workflow metrics into one registry,
    // served over HTTP.
    metrics = new WorkerMetrics();
    metricsServer = MetricsServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics.registry());
    connection = TemporalConnection.open(stack.base.temporal(), metrics.scope());
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(HOOK_ENV, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    worker = new LifeboatWorker(connection.client(), stack.taskQueue, new Secrets(env)).start();
  }

  @AfterEach
  void down() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {worker, connection, metricsServer, metrics}) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    receiver.stop(0);
    smtp.stop();
    stack.close();
  }

  private Path config(String db) throws Exception {
    return stack.config("verify", root -> {
      ObjectNode d = RealStack.addDatabase(root, db);
      var validation = d.putArray("validation");
      validation.addObject().put("name", "users present").put("sql",
          "select count(*) from users").put("minimum", 1);
      validation.addObject().put("name", "newest tally").put("sql",
          "select max(recorded_at)::text from tallies");
      ObjectNode n = root.putObject("notifications");
      n.putObject("webhook").put("urlEnv", HOOK_ENV);
      ObjectNode email = n.putObject("email");
      email.put("host", "127.0.0.1").put("port", smtp.getSmtp().getPort())
          .put("from", "lifeboat@farmtally.test");
      email.putArray("to").add("ops@farmtally.test");
    });
  }

  @Test
  void healthyBackupVerifiesThenAFlippedByteFailsWithMetricAndNotifications() throws Exception {
    String db = stack.createDatabase("ver", 2_000);
    Path config = config(db);
    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.err());

    // 1. Healthy: every check passes, the scratch database is gone, a record sits beside it.
    RealStack.Run ok = stack.cli("verify", "--wait", "--config", config.toString());
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    assertTrue(ok.out().contains("PASSED " + db), ok.out());
    assertTrue(ok.out().contains("validation: users present"), ok.out());
    assertTrue(ok.out().contains("all backups verified"), ok.out());
    assertEquals("", stack.psql("postgres",
        "select string_agg(datname, ',') from pg_database where datname like 'lifeboat_verify_"
            + db + "%'"), "scratch database dropped");
    List<String> records = stack.keys().stream().filter(k -> k.contains("/verification-"))
        .toList();
    assertEquals(1, records.size(), stack.keys().toString());
    RealStack.Run list = stack.cli("backups", "list", "--config", config.toString());
    assertTrue(list.out().contains("passed 20"), list.out());
    // Issue 22: the backup said started and finished, the verification that it passed.
    List<String> events = new java.util.ArrayList<>();
    for (String body : webhookBodies) {
      String t = new ObjectMapper().readTree(body).get("text").asText();
      events.add(t.substring(t.lastIndexOf("(event: ") + 8, t.lastIndexOf(')')));
    }
    assertEquals(List.of("backup-started", "backup-finished", "verification-passed"), events,
        webhookBodies.toString());
    assertTrue(smtp.waitForIncomingEmail(10_000, 3));
    webhookBodies.clear();
    smtp.purgeEmailFromAllMailboxes();

    // 2. One byte flipped in the stored dump, re-uploaded under the same key.
    String manifestKey = stack.keys().stream().filter(k -> k.endsWith("/manifest.json"))
        .findFirst().orElseThrow();
    BackupManifest m;
    try (InputStream in = stack.store().get(manifestKey)) {
      m = new ObjectMapper().readValue(in, BackupManifest.class);
    }
    byte[] dump;
    try (InputStream in = stack.store().get(m.objectKey())) {
      dump = in.readAllBytes();
    }
    dump[dump.length / 2] ^= 0x01;
    stack.store().put(m.objectKey(), dump, "application/octet-stream");

    RealStack.Run bad = stack.cli("verify", "--wait", "--config", config.toString());
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.out().contains("FAILED " + db), bad.out());
    assertTrue(bad.out().contains("verification FAILED"), bad.out());
    assertEquals("", stack.psql("postgres",
        "select string_agg(datname, ',') from pg_database where datname like 'lifeboat_verify_"
            + db + "%'"), "no scratch database left behind");
    assertEquals(2, stack.keys().stream().filter(k -> k.contains("/verification-")).count());
    list = stack.cli("backups", "list", "--config", config.toString());
    assertTrue(list.out().contains("FAILED 20"), list.out());

    // The webhook receiver got Slack-style JSON naming the database.
    assertEquals(1, webhookBodies.size(), webhookBodies.toString());
    String text = new ObjectMapper().readTree(webhookBodies.get(0)).get("text").asText();
    assertTrue(text.contains("backup verification failed: " + db), text);
    assertTrue(text.contains(m.backupId()), text);
    // GreenMail got the email.
    assertTrue(smtp.waitForIncomingEmail(10_000, 1));
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertEquals("[lifeboat] backup verification failed: " + db, mail.getSubject());
    assertTrue(GreenMailUtil.getBody(mail).contains("verify-backups-"), "web UI link in mail");

    // The worker's /metrics: verification failed now, one pass and one failure counted.
    // The tally scope flushes every second, not all series at once: wait for each.
    String scrape = scrapeUntil(body -> "0.0".equals(value(body, "lifeboat_verification_success",
        db, null)) && "1.0".equals(value(body, "lifeboat_verification_runs_total", db, "failed"))
        && value(body, "lifeboat_notifications_sent_total", null, null) != null);
    assertEquals("0.0", value(scrape, "lifeboat_verification_success", db, null));
    assertEquals("1.0", value(scrape, "lifeboat_verification_runs_total", db, "failed"));
    assertEquals("1.0", value(scrape, "lifeboat_verification_runs_total", db, "passed"));
    assertTrue(Double.parseDouble(value(scrape, "lifeboat_verification_last_timestamp_seconds",
        db, null)) > 1.7e9);
    assertEquals("1.0", value(scrape, "lifeboat_notifications_sent_total", null, null),
        "webhook + email, one each: " + scrape);
  }

  /** The tally scope reports to the registry every second: poll until the value shows. */
  private String scrapeUntil(java.util.function.Predicate<String> ready) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = "";
    for (int i = 0; i < 50; i++) {
      body = http.send(HttpRequest.newBuilder(metricsServer.uri()).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (ready.test(body)) return body;
      Thread.sleep(200);
    }
    return body;
  }

  /** The value of the first sample of {@code name} with the given source (and outcome). */
  private static String value(String scrape, String name, String source, String outcome) {
    Pattern p = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    Matcher matcher = p.matcher(scrape);
    while (matcher.find()) {
      String labels = matcher.group(1);
      if ((source == null || labels.contains("source=\"" + source + "\""))
          && (outcome == null || labels.contains("outcome=\"" + outcome + "\""))) {
        return matcher.group(2);
      }
    }
    return null;
  }

}
