package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
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
 * Secrets travel by reference only. The worker holds the PostgreSQL password, the S3 secret
 * and the two keys (repository and payload keysets, planted here with values found nowhere
 * else); after a real backup, none is in the workflow history (payloads decoded through the
 * payload codec when it is on, so encryption hides nothing from this scan), in any log line of
 * the worker at DEBUG, in the CLI's output, or in any manifest or stored report (json, md,
 * html).
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
    List<String> secrets = new ArrayList<>(List.of(pgPassword, s3Secret,
        Base64.getEncoder().encodeToString(s3Secret.getBytes(StandardCharsets.UTF_8))));
    // The key material of the keysets the config names (by file: the file is the reference).
    var repoEnc = stack.base.repository().encryption();
    if (repoEnc != null && repoEnc.keyFile() != null) secrets.addAll(keyValues(repoEnc.keyFile()));
    var pe = stack.base.temporal().payloadEncryption();
    if (pe != null && pe.keysetFile() != null) secrets.addAll(keyValues(pe.keysetFile()));

    String db = stack.createDatabase("secrets", 100);
    Path config = stack.config("secrets", r -> RealStack.addDatabase(r, db));
    stack.startWorker(Map.copyOf(System.getenv()));
    RealStack.Run run = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, run.exit(), run.err());
    // A recovery too: its inputs hold connection settings, and it stores a report.
    RealStack.Run recover = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    assertEquals(0, recover.exit(), recover.out() + recover.err());
    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    if (!kept.isEmpty()) stack.psql("postgres", "drop database " + kept + " with (force)");

    List<String> places = new ArrayList<>();
    for (String workflowId : List.of(
        DatabaseBackupWorkflow.workflowId(stack.base.estate(), db) + "-manual",
        io.lifeboat.recover.db.DatabaseRecoveryWorkflow.workflowId(stack.base.estate(), db))) {
      String history = stack.run(RealStack.temporalCli(), "workflow", "show", "-w", workflowId,
          "--output", "json", "--address", stack.base.temporal().address());
      places.add("history(raw) " + history);
      collectPayloads(new ObjectMapper().readTree(history), places,
          stack.temporal().codec().orElse(null));
    }
    assertTrue(places.stream().anyMatch(p -> p.startsWith("payload") && p.contains(db)),
        "the scan sees decoded payloads");
    for (ILoggingEvent e : logs.list) places.add("log " + e.getFormattedMessage());
    assertFalse(logs.list.isEmpty(), "the worker logged at DEBUG");
    places.add("cli " + run.out() + run.err() + recover.out() + recover.err());
    int reports = 0;
    for (String key : stack.keys()) {
      if (key.endsWith(".json") || key.endsWith(".md") || key.endsWith(".html")) {
        if (key.contains("/reports/")) reports++;
        try (InputStream in = stack.store().get(key)) {
          places.add(key + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    assertTrue(reports >= 3, "the run's stored report (json, md, html) was scanned: "
        + stack.keys());
    for (String place : places) {
      for (String secret : secrets) {
        assertFalse(place.contains(secret), "a secret leaked into "
            + place.substring(0, Math.min(80, place.length())));
      }
    }
  }

  /** The "value" fields (base64 key material) of a Tink keyset file. */
  private static List<String> keyValues(String keysetFile) throws Exception {
    List<String> values = new ArrayList<>();
    for (JsonNode k : new ObjectMapper().readTree(java.nio.file.Path.of(keysetFile).toFile())
        .path("key")) {
      String v = k.path("keyData").path("value").asText();
      assertTrue(v.length() >= 16, "a keyset with key material: " + keysetFile);
      values.add(v);
    }
    return values;
  }

  /** Every payload as the history stores it, and decoded through the codec when there is one. */
  static void collectPayloads(JsonNode node, List<String> out,
      io.temporal.payload.codec.PayloadCodec codec) {
    if (node.isObject()) {
      JsonNode data = node.get("data");
      if (data != null && data.isTextual() && node.has("metadata")) {
        byte[] raw = Base64.getDecoder().decode(data.asText());
        out.add("payload " + new String(raw, StandardCharsets.UTF_8));
        if (codec != null) {
          var p = io.temporal.api.common.v1.Payload.newBuilder()
              .setData(com.google.protobuf.ByteString.copyFrom(raw));
          node.get("metadata").fields().forEachRemaining(f -> p.putMetadata(f.getKey(),
              com.google.protobuf.ByteString.copyFrom(Base64.getDecoder().decode(
                  f.getValue().asText()))));
          for (var d : codec.decode(List.of(p.build()))) {
            out.add("payload(decoded) " + d.getData().toStringUtf8());
          }
        }
      }
      node.elements().forEachRemaining(c -> collectPayloads(c, out, codec));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(c -> collectPayloads(c, out, codec));
    }
  }
}
