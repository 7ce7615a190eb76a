package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.Secrets;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.TemporalConnection;
import io.lifeboat.worker.codec.PayloadKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * With payload encryption on, a real backup runs end to end (the CLI reads the worker's
 * progress through the same codec), and the history on the real server holds no host, database
 * or repository name. The same run without encryption shows them: the check can fail.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class PayloadEncryptionEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private List<String> decodedPayloadTexts(String workflowId) throws Exception {
    String json = stack.run(RealStack.temporalCli(), "workflow", "show", "-w", workflowId,
        "--output", "json", "--address", stack.base.temporal().address());
    List<String> texts = new ArrayList<>();
    collect(new ObjectMapper().readTree(json), texts);
    assertFalse(texts.isEmpty(), "the history has payloads");
    return texts;
  }

  /**
   * Every payload's data, base64-decoded, as the history stores it. Search attributes are left
   * out: Temporal must index them, so they stay plain by design and hold names only (database,
   * kind, outcome), never addresses, paths or targets.
   */
  private static void collect(JsonNode node, List<String> out) {
    if (node.isObject()) {
      JsonNode data = node.get("data");
      if (data != null && data.isTextual() && node.has("metadata")) {
        out.add(new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.ISO_8859_1));
      }
      node.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("searchAttributes")) collect(f.getValue(), out);
      });
    } else if (node.isArray()) {
      node.elements().forEachRemaining(c -> collect(c, out));
    }
  }

  private String backup(Path config, String db) throws Exception {
    try (TemporalConnection conn = TemporalConnection.open(new ConfigLoader().load(config).temporal());
         LifeboatWorker worker = new LifeboatWorker(conn.client(), stack.taskQueue,
             Secrets.fromEnvironment()).start()) {
      RealStack.Run run = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains("is committed"), run.out());
      assertTrue(run.out().contains("MB/s"), "progress and summary decoded: " + run.out());
    }
    return "backup-db-" + db + "-manual";
  }

  @Test
  void historyHoldsNoNamesWhenEncrypted() throws Exception {
    Path keyset = stack.dir.resolve("payload-keyset.json");
    PayloadKeys.generate(keyset);
    String db = stack.createDatabase("enc", 200);
    Path config = stack.config("encrypted", root -> {
      RealStack.addDatabase(root, db);
      root.with("temporal").putObject("payloadEncryption").put("keysetFile", keyset.toString());
    });
    String id = backup(config, db);
    for (String text : decodedPayloadTexts(id)) {
      assertFalse(text.contains(db), "database name in history: " + text);
      assertFalse(text.contains(stack.prefix), "repository prefix in history: " + text);
      assertFalse(text.contains("127.0.0.1"), "host in history: " + text);
    }
    assertTrue(stack.keys().stream().anyMatch(k -> k.endsWith("/manifest.json")), "committed");
  }

  @Test
  void withoutEncryptionTheSameNamesAreReadable() throws Exception {
    String db = stack.createDatabase("plain", 200);
    Path config = stack.config("plain", root -> {
      RealStack.addDatabase(root, db);
      root.with("temporal").remove("payloadEncryption"); // the example config turns it on
    });
    String id = backup(config, db);
    assertTrue(decodedPayloadTexts(id).stream().anyMatch(t -> t.contains(db)),
        "the control run shows the database name, so the check above can fail");
  }
}
