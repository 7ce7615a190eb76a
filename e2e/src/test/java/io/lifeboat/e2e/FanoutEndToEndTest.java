package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.OffsiteAfterBackup;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 20, back up once and copy to N repositories: three copy repositories under
 * {@code repositories:} (the shared stack's offsite s3proxy on :9100 and two s3proxies of the
 * test's own on free ports). A backup lands in all three, each verified; one flipped byte in
 * one repository fails that repository's verification alone; with one repository down, the
 * other two still get the copy and the sync names the one that failed.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class FanoutEndToEndTest {
  private static final String SHARED_ENDPOINT = "http://127.0.0.1:9100";
  private static final String SHARED_BUCKET = "farmtally-offsite";

  private RealStack stack;
  private OffsiteProxy b;
  private OffsiteProxy c;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    b = new OffsiteProxy();
    c = new OffsiteProxy();
  }

  @AfterEach
  void down() throws Exception {
    try (S3Client s3 = shared()) {
      for (String k : keys(s3, SHARED_BUCKET)) s3.deleteObject(r -> r.bucket(SHARED_BUCKET).key(k));
    } catch (RuntimeException ignored) {
      // best effort
    }
    stack.close();
    b.close();
    try {
      c.close();
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException gone) {
      // closed by the test already
    }
  }

  private static S3Client shared() {
    return LocalS3.client(SHARED_ENDPOINT, System.getenv(LocalS3.ACCESS_ENV),
        System.getenv(LocalS3.SECRET_ENV));
  }

  private List<String> keys(S3Client s3, String bucket) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(stack.prefix + "/"))
        .contents().stream().map(S3Object::key).sorted().toList();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FANOUT_B_ACCESS", b.accessKey);
    env.put("FANOUT_B_SECRET", b.secretKey);
    env.put("FANOUT_C_ACCESS", c.accessKey);
    env.put("FANOUT_C_SECRET", c.secretKey);
    return env;
  }

  private static ObjectNode repo(ArrayNode list, String name, String endpoint, String bucket,
      String accessEnv, String secretEnv, int retentionDays) {
    ObjectNode o = list.addObject();
    o.put("name", name).put("type", "s3").put("endpoint", endpoint).put("bucket", bucket)
        .put("accessKeyEnv", accessEnv).put("secretKeyEnv", secretEnv).put("partSizeMb", 5);
    o.putObject("retention").put("days", retentionDays).put("monthly", 2);
    return o;
  }

  private CopyRecord awaitCopy(String workflowId) {
    return stack.temporal().client().newUntypedWorkflowStub(workflowId)
        .getResult(CopyRecord.class);
  }

  @Test
  void oneBackupCopiedToThreeRepositoriesEachVerifiedAndFailingAlone() throws Exception {
    Map<String, String> env = env();
    stack.startWorker(env);
    String db = stack.createDatabase("fan", 1_000);
    Path config = stack.config("fanout", root -> {
      RealStack.addDatabase(root, db);
      ArrayNode repos = root.putArray("repositories");
      repo(repos, "site-a", SHARED_ENDPOINT, SHARED_BUCKET, LocalS3.ACCESS_ENV, LocalS3.SECRET_ENV,
          30);
      repo(repos, "site-b", b.endpoint, OffsiteProxy.BUCKET, "FANOUT_B_ACCESS",
          "FANOUT_B_SECRET", 60).putObject("objectLock").put("mode", "GOVERNANCE")
          .put("days", 1);
      repo(repos, "site-c", c.endpoint, OffsiteProxy.BUCKET, "FANOUT_C_ACCESS",
          "FANOUT_C_SECRET", 90);
    });

    // One backup, three copies: each repository its own workflow, each verified.
    RealStack.Run run = stack.cli(env, "backup", "db", db, "--wait", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals(1, manifests().size(), stack.keys().toString());
    String backupId = manifests().keySet().iterator().next();
    Map<String, String> ids = Map.of(
        "site-a", "offsite-db-full-" + db + "-" + backupId,
        "site-b", OffsiteAfterBackup.workflowId("site-b", "db-full", db, backupId),
        "site-c", OffsiteAfterBackup.workflowId("site-c", "db-full", db, backupId));
    Map<String, String> buckets = Map.of("site-a", SHARED_BUCKET, "site-b", OffsiteProxy.BUCKET,
        "site-c", OffsiteProxy.BUCKET);
    for (var e : ids.entrySet()) {
      CopyRecord copy = awaitCopy(e.getValue());
      assertEquals(2, copy.copied(), e.getKey() + ": " + copy);
      assertEquals(2, copy.verified(), e.getKey() + ": " + copy);
      assertEquals(buckets.get(e.getKey()), copy.offsiteBucket(), e.getKey());
    }
    String dumpKey = manifests().get(backupId).get("objectKey").asText();
    Map<String, S3Client> clients = Map.of("site-a", shared(), "site-b", b.client(), "site-c",
        c.client());
    for (var e : clients.entrySet()) {
      try (S3Client s3 = e.getValue()) {
        List<String> there = keys(s3, buckets.get(e.getKey()));
        assertTrue(there.contains(dumpKey), e.getKey() + ": " + there);
        assertTrue(there.stream().anyMatch(k -> k.endsWith("/" + backupId + "/manifest.json")
            || k.endsWith("manifest.json")), e.getKey() + ": " + there);
      }
    }

    // The deep check passes in each, and names each.
    RealStack.Run verify = stack.cli(env, "offsite", "verify", "--config", config.toString());
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    for (String name : List.of("site-a", "site-b", "site-c")) {
      assertTrue(verify.out().contains("[" + name + "] every offsite copy matches"),
          verify.out());
    }
    assertTrue(verify.out().contains("every copy in all 3 repositories matches"), verify.out());

    // One flipped byte in site-b's copy: site-b fails, site-a and site-c pass.
    try (S3Client s3 = b.client()) {
      var got = s3.getObjectAsBytes(r -> r.bucket(OffsiteProxy.BUCKET).key(dumpKey));
      byte[] bytes = got.asByteArray();
      bytes[bytes.length / 2] ^= 0x01;
      s3.putObject(r -> r.bucket(OffsiteProxy.BUCKET).key(dumpKey)
          .metadata(got.response().metadata()), RequestBody.fromBytes(bytes));
    }
    verify = stack.cli(env, "offsite", "verify", "--json", "--config", config.toString());
    assertEquals(1, verify.exit(), verify.out() + verify.err());
    JsonNode answer = json.readTree(verify.out());
    assertEquals(List.of("site-b"), List.of(json.convertValue(answer.get("failed"),
        String[].class)), verify.out());
    for (JsonNode r : answer.get("repositories")) {
      assertEquals(!"site-b".equals(r.get("repository").asText()), r.get("passed").asBoolean(),
          verify.out());
    }
    RealStack.Run one = stack.cli(env, "offsite", "verify", "--repository", "site-c",
        "--config", config.toString());
    assertEquals(0, one.exit(), one.out() + one.err());
    one = stack.cli(env, "offsite", "verify", "--repository", "site-b", "--repair", "--config",
        config.toString());
    assertEquals(1, one.exit(), one.out() + one.err());
    assertTrue(one.out().contains(dumpKey.substring(stack.prefix.length() + 1)), one.out());

    // site-c goes down: a sync copies to site-a and site-b (the repaired copy comes back) and
    // names site-c as the one that failed.
    c.close();
    RealStack.Run sync = stack.cli(env, "offsite", "sync", "--wait", "--json", "--config",
        config.toString());
    assertEquals(1, sync.exit(), sync.out() + sync.err());
    JsonNode synced = json.readTree(sync.out());
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode r : synced.get("repositories")) byName.put(r.get("repository").asText(), r);
    assertTrue(byName.get("site-a").get("ok").asBoolean(), sync.out());
    assertEquals(0, byName.get("site-a").get("record").get("copied").asInt(), sync.out());
    assertTrue(byName.get("site-b").get("ok").asBoolean(), sync.out());
    assertEquals(2, byName.get("site-b").get("record").get("copied").asInt(), sync.out());
    assertFalse(byName.get("site-c").get("ok").asBoolean(), sync.out());
    assertTrue(byName.get("site-c").get("error").asText().contains("site-c"), sync.out());
    sync = stack.cli(env, "offsite", "sync", "--wait", "--config", config.toString());
    assertEquals(1, sync.exit(), sync.out() + sync.err());
    assertTrue(sync.out().contains("offsite sync FAILED in 1 of 3 repositories: site-c"),
        sync.out());
    one = stack.cli(env, "offsite", "verify", "--repository", "site-b", "--config",
        config.toString());
    assertEquals(0, one.exit(), one.out() + one.err());

    // A backup with site-c down: the backup is good, site-a and site-b copy it, site-c fails.
    run = stack.cli(env, "backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    String second = manifests().keySet().stream().filter(id -> !id.equals(backupId))
        .findFirst().orElseThrow();
    assertEquals(2, awaitCopy("offsite-db-full-" + db + "-" + second).copied());
    assertEquals(2, awaitCopy(OffsiteAfterBackup.workflowId("site-b", "db-full", db, second))
        .copied());
    var failed = assertThrows(io.temporal.client.WorkflowFailedException.class,
        () -> awaitCopy(OffsiteAfterBackup.workflowId("site-c", "db-full", db, second)));
    assertTrue(String.valueOf(failed.getCause().getCause()).contains("OFFSITE_UNAVAILABLE"),
        String.valueOf(failed.getCause().getCause()));
  }

  /** The committed backups in the primary: backup id to manifest. */
  private Map<String, JsonNode> manifests() throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    for (String k : stack.keys()) {
      if (!k.endsWith("/manifest.json")) continue;
      try (InputStream in = stack.store().get(k)) {
        JsonNode manifest = json.readTree(in);
        out.put(manifest.get("backupId").asText(), manifest);
      }
    }
    return out;
  }
}
