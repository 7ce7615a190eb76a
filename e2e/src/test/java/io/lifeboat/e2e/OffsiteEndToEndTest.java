package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.OffsiteLayout;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * 3-2-1 against real endpoints: the stack's s3proxy as the primary, a second s3proxy as the
 * offsite. A nightly backup lands in both with equal checksums; a sync after it copies nothing;
 * a backup lost from the primary stays offsite; an unreachable offsite leaves the backup good.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class OffsiteEndToEndTest {
  private RealStack stack;
  private OffsiteProxy offsite;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    offsite = new OffsiteProxy();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
    offsite.close();
  }

  private String manifestKey() {
    List<String> manifests =
        stack.keys().stream().filter(k -> k.endsWith("/manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    return manifests.get(0);
  }

  /** The offsite copy runs after the backup returned: wait for it by its workflow id. */
  private CopyRecord awaitCopy(String db, String backupId) {
    return stack.temporal().client()
        .newUntypedWorkflowStub("offsite-db-full-" + db + "-" + backupId)
        .getResult(CopyRecord.class);
  }

  private List<String> offsiteKeys() {
    try (S3Client s3 = offsite.client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(OffsiteProxy.BUCKET)
              .prefix(stack.prefix + "/")).contents().stream().map(S3Object::key).sorted()
          .toList();
    }
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (in) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void nightlyBackupLandsInBothAndSyncNeverDeletesOffsite() throws Exception {
    Map<String, String> env = offsite.env();
    stack.startWorker(env);
    String db = stack.createDatabase("off", 3_000);
    Path config = stack.config("offsite", root -> {
      RealStack.addDatabase(root, db);
      offsite.addTo(root);
    });

    RealStack.Run run = stack.cli(env, "backup", "db", db, "--wait", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.err());
    String manifestKey = manifestKey();
    JsonNode manifest;
    try (InputStream in = stack.store().get(manifestKey)) {
      manifest = json.readTree(in);
    }
    CopyRecord copy = awaitCopy(db, manifest.get("backupId").asText());
    assertEquals(2, copy.copied(), copy.toString());
    assertEquals(2, copy.verified());
    // The offsite credentials travel by name only: not in the backup's or the copy's history.
    for (String id : List.of("offsite-db-full-" + db + "-" + manifest.get("backupId").asText(),
        manifest.get("workflowId").asText())) {
      String history = decodedPayloads(stack.temporal().client().fetchHistory(id).toJson(false));
      assertTrue(history.contains(OffsiteProxy.SECRET_ENV), "payloads decoded: " + id);
      assertFalse(history.contains(offsite.secretKey) || history.contains(offsite.accessKey), id);
    }
    // s3proxy has no Object Lock: recorded, not a failure.
    assertTrue(copy.objectLock().startsWith("unavailable"), copy.objectLock());

    // The same keys offsite (prefix defaults to the primary's), the same bytes.
    String dumpKey = manifest.get("objectKey").asText();
    List<String> there = offsiteKeys();
    assertTrue(there.contains(dumpKey) && there.contains(manifestKey), there.toString());
    try (S3Client s3 = offsite.client()) {
      ResponseInputStream<GetObjectResponse> dump =
          s3.getObject(b -> b.bucket(OffsiteProxy.BUCKET).key(dumpKey));
      assertEquals(manifest.get("sha256").asText(),
          dump.response().metadata().get(OffsiteLayout.META_COPY_SHA256));
      assertEquals(manifest.get("sha256").asText(), sha256(dump));
      assertEquals(sha256(stack.store().get(manifestKey)),
          sha256(s3.getObject(b -> b.bucket(OffsiteProxy.BUCKET).key(manifestKey))));
    }
    // The run's record is stored offsite too.
    assertTrue(there.stream().anyMatch(k -> k.startsWith(stack.prefix + "/"
        + OffsiteLayout.RECORDS + "db-full/" + db + "/")), there.toString());

    // A sync right after finds everything there.
    RealStack.Run sync = stack.cli(env, "offsite", "sync", "--wait", "--json", "--config",
        config.toString());
    assertEquals(0, sync.exit(), sync.err());
    JsonNode synced = json.readTree(sync.out());
    assertEquals(0, synced.get("copied").asInt(), sync.out());
    assertEquals(2, synced.get("skipped").asInt(), sync.out());

    // The deep check reads everything back; a copy rotted offsite is found, removed with
    // --repair, and copied again by the next sync.
    RealStack.Run deep = stack.cli(env, "offsite", "verify", "--config", config.toString());
    assertEquals(0, deep.exit(), deep.out() + deep.err());
    try (S3Client s3 = offsite.client()) {
      String recorded = s3.headObject(b -> b.bucket(OffsiteProxy.BUCKET).key(dumpKey))
          .metadata().get(OffsiteLayout.META_COPY_SHA256);
      s3.putObject(b -> b.bucket(OffsiteProxy.BUCKET).key(dumpKey)
              .metadata(Map.of(OffsiteLayout.META_COPY_SHA256, recorded)),
          software.amazon.awssdk.core.sync.RequestBody.fromString("bit rot"));
    }
    deep = stack.cli(env, "offsite", "verify", "--config", config.toString());
    assertEquals(1, deep.exit(), deep.out() + deep.err());
    assertTrue(deep.out().contains("FAIL") && deep.out().contains(dumpKey.substring(
        stack.prefix.length() + 1)), deep.out());
    deep = stack.cli(env, "offsite", "verify", "--repair", "--config", config.toString());
    assertEquals(1, deep.exit(), deep.out() + deep.err());
    assertFalse(offsiteKeys().contains(manifestKey), "repair removed the manifest too");
    sync = stack.cli(env, "offsite", "sync", "--wait", "--json", "--config", config.toString());
    assertEquals(0, sync.exit(), sync.err());
    assertEquals(2, json.readTree(sync.out()).get("copied").asInt(), sync.out());
    deep = stack.cli(env, "offsite", "verify", "--config", config.toString());
    assertEquals(0, deep.exit(), deep.out() + deep.err());

    // The primary loses the backup: a sync does not delete the offsite copy, list shows it.
    stack.store().delete(dumpKey);
    stack.store().delete(manifestKey);
    sync = stack.cli(env, "offsite", "sync", "--wait", "--config", config.toString());
    assertEquals(0, sync.exit(), sync.err());
    assertTrue(offsiteKeys().containsAll(List.of(dumpKey, manifestKey)));
    RealStack.Run list = stack.cli(env, "offsite", "list", "--config", config.toString());
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("OFFSITE ONLY"), list.out());

    // Recovery from the offsite copy alone: a config whose repository is the offsite bucket
    // (same prefix) verifies the backup the primary lost, restore into a scratch database and
    // validation included.
    Path fromOffsite = stack.config("from-offsite", root -> {
      RealStack.addDatabase(root, db);
      var repo = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("repository");
      repo.put("endpoint", offsite.endpoint).put("bucket", OffsiteProxy.BUCKET)
          .put("accessKeyEnv", OffsiteProxy.ACCESS_ENV).put("secretKeyEnv", OffsiteProxy.SECRET_ENV);
      repo.remove("localCopyDir");
    });
    RealStack.Run verify = stack.cli(env, "verify", "--wait", "--database", db, "--config",
        fromOffsite.toString());
    assertEquals(0, verify.exit(), verify.out() + verify.err());
  }

  @Test
  void unreachableOffsiteLeavesTheBackupGood() throws Exception {
    Map<String, String> env = offsite.env();
    stack.startWorker(env);
    String db = stack.createDatabase("down", 500);
    int closedPort = freePort();
    Path config = stack.config("offsite-down", root -> {
      RealStack.addDatabase(root, db);
      offsite.addTo(root).put("endpoint", "http://127.0.0.1:" + closedPort);
    });

    RealStack.Run run = stack.cli(env, "backup", "db", db, "--wait", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("is committed"), run.out());
    String backupId;
    try (InputStream in = stack.store().get(manifestKey())) {
      backupId = json.readTree(in).get("backupId").asText();
    }
    var failed = assertThrows(io.temporal.client.WorkflowFailedException.class,
        () -> awaitCopy(db, backupId));
    assertTrue(String.valueOf(failed.getCause().getCause()).contains("OFFSITE_UNAVAILABLE"),
        String.valueOf(failed.getCause().getCause()));
    // The primary backup is untouched.
    assertFalse(stack.keys().isEmpty());
  }

  @Test
  void syncWithoutAnOffsiteSectionIsBadInput() throws Exception {
    Path config = stack.config("no-offsite", root -> { });
    RealStack.Run run = stack.cli("offsite", "sync", "--config", config.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("no 'offsite' section"), run.err());
  }

  /** The history's payloads (base64 in its JSON), decoded and joined, to search for values. */
  /** The history's payloads, decoded through the payload codec when encryption is on. */
  private String decodedPayloads(String historyJson) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    SecretsStayOutTest.collectPayloads(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(historyJson), out, stack.temporal().codec().orElse(null));
    return String.join("\n", out);
  }


  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
