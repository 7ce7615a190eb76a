package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.slf4j.LoggerFactory;

/**
 * Secrets travel by reference only. The worker holds the PostgreSQL password and the S3
 * secret (planted here with values found nowhere else); after a real backup, neither is in the
 * workflow history (payloads decoded, no payload encryption, so nothing hides them), in any
 * log line of the worker at DEBUG, in the CLI's output, or in any object in the repository
 * small enough to be a manifest or report.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class SecretsStayOutTest {
  private RealStack stack;
  private ListAppender<ILoggingEvent> logs;
  private Logger root;
  private Level rootLevel;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void down() throws Exception {
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    stack.close();
  }

  @Test
  void secretsAreInNoHistoryLogOutputOrObject() throws Exception {
    String pgPassword = System.getenv("LIFEBOAT_PG_PASSWORD");
    String s3Secret = System.getenv("LIFEBOAT_S3_SECRET_KEY");
    // The planted values must be distinctive, or finding them would prove nothing.
    assertTrue(pgPassword.length() >= 8 && s3Secret.length() >= 8);
    List<String> secrets = List.of(pgPassword, s3Secret,
        Base64.getEncoder().encodeToString(s3Secret.getBytes(StandardCharsets.UTF_8)));

    String db = stack.createDatabase("secrets", 100);
    Path config = stack.config("secrets", r -> RealStack.addDatabase(r, db));
    stack.startWorker(Map.copyOf(System.getenv()));
    RealStack.Run run = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, run.exit(), run.err());

    List<String> places = new ArrayList<>();
    String history = stack.run(RealStack.temporalCli(), "workflow", "show", "-w",
        "backup-db-" + db + "-manual", "--output", "json", "--address",
        stack.base.temporal().address());
    places.add("history(raw) " + history);
    collectPayloads(new ObjectMapper().readTree(history), places);
    assertTrue(places.stream().anyMatch(p -> p.contains(db)), "the scan sees decoded payloads");
    for (ILoggingEvent e : logs.list) places.add("log " + e.getFormattedMessage());
    assertFalse(logs.list.isEmpty(), "the worker logged at DEBUG");
    places.add("cli " + run.out() + run.err());
    for (String key : stack.keys()) {
      if (key.endsWith(".json") || key.endsWith(".md")) {
        try (InputStream in = stack.store().get(key)) {
          places.add(key + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    for (String place : places) {
      for (String secret : secrets) {
        assertFalse(place.contains(secret), "a secret leaked into "
            + place.substring(0, Math.min(80, place.length())));
      }
    }
  }

  private static void collectPayloads(JsonNode node, List<String> out) {
    if (node.isObject()) {
      JsonNode data = node.get("data");
      if (data != null && data.isTextual() && node.has("metadata")) {
        out.add("payload " + new String(Base64.getDecoder().decode(data.asText()),
            StandardCharsets.UTF_8));
      }
      node.elements().forEachRemaining(c -> collectPayloads(c, out));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(c -> collectPayloads(c, out));
    }
  }
}
