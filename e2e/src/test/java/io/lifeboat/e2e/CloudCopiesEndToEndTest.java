package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * Issue 20, copy repositories on other clouds: the primary on the shared stack's S3 and two
 * copy repositories under {@code repositories:}, one of type gcs on fake-gcs-server and one of
 * type azure on Azurite (both started by the test on free ports, stopped after). A backup is
 * copied to each and verified; `offsite verify --repository` passes for each; one flipped byte
 * in the Azure copy fails that repository's verify alone, `--repair` removes it and a sync
 * copies it again (through the conditional create of the manifest); `recover db --from` restores
 * from the GCS copy.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class CloudCopiesEndToEndTest {
  private RealStack stack;
  private CloudRepository gcs;
  private CloudRepository azure;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    gcs = CloudRepository.start("gcs", stack.dir);
    azure = CloudRepository.start("azure", stack.dir);
  }

  @AfterEach
  void down() throws Exception {
    try {
      stack.close();
    } finally {
      try {
        if (gcs != null) gcs.close();
      } finally {
        if (azure != null) azure.close();
      }
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(azure.env());
    return env;
  }

  private CopyRecord awaitCopy(String workflowId) {
    return stack.temporal().client().newUntypedWorkflowStub(workflowId)
        .getResult(CopyRecord.class);
  }

  @Test
  void backupCopiedToGcsAndAzureVerifiedEachAndRecoveredFromOne() throws Exception {
    Map<String, String> env = env();
    stack.startWorker(env);
    String db = stack.createDatabase("cloudcopy", 1_000);
    Path config = stack.config("cloud-copies", root -> {
      RealStack.addDatabase(root, db);
      ArrayNode repos = root.putArray("repositories");
      ObjectNode g = repos.addObject();
      g.put("name", "gcp").put("type", "gcs").put("endpoint", gcs.url())
          .put("bucket", CloudRepository.BUCKET).put("partSizeMb", 5);
      g.putObject("gcs").put("projectId", "test");
      // Asked for, and reported unavailable: the emulator has no bucket retention policy.
      g.putObject("objectLock").put("days", 1);
      ObjectNode a = repos.addObject();
      a.put("name", "az").put("type", "azure").put("partSizeMb", 5);
      a.putObject("azure").put("connectionStringEnv", CloudRepository.AZURE_CONNECTION_ENV)
          .put("container", CloudRepository.BUCKET);
      a.putObject("objectLock").put("days", 1); // Azurite has no immutability policies
    });
    RealStack.Run check = stack.cli(env, "config", "check", "--config", config.toString());
    assertEquals(0, check.exit(), check.out() + check.err());

    // One backup, a copy in each cloud, each verified by its copy workflow.
    RealStack.Run run = stack.cli(env, "backup", "db", db, "--wait", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    Map<String, JsonNode> manifests = manifests();
    assertEquals(1, manifests.size(), stack.keys().toString());
    String backupId = manifests.keySet().iterator().next();
    String dumpKey = manifests.get(backupId).get("objectKey").asText();
    Map<String, String> ids = Map.of(
        "gcp", "offsite-db-full-" + db + "-" + backupId,
        "az", OffsiteAfterBackup.workflowId("az", "db-full", db, backupId));
    for (var e : ids.entrySet()) {
      CopyRecord copy = awaitCopy(e.getValue());
      assertEquals(2, copy.copied(), e.getKey() + ": " + copy);
      assertEquals(2, copy.verified(), e.getKey() + ": " + copy);
      assertEquals(CloudRepository.BUCKET, copy.offsiteBucket(), e.getKey());
    }
    for (CloudRepository cloud : List.of(gcs, azure)) {
      List<String> there = cloud.allKeys();
      assertTrue(there.contains(dumpKey), cloud.type + ": " + there);
      assertTrue(there.contains(dumpKey.substring(0, dumpKey.lastIndexOf('/') + 1)
          + "manifest.json"), cloud.type + ": " + there);
    }

    // The deep check passes in each; the listing reads each.
    for (String name : List.of("gcp", "az")) {
      RealStack.Run verify = stack.cli(env, "offsite", "verify", "--repository", name,
          "--config", config.toString());
      assertEquals(0, verify.exit(), name + ": " + verify.out() + verify.err());
      RealStack.Run list = stack.cli(env, "offsite", "list", "--repository", name, "--config",
          config.toString());
      assertEquals(0, list.exit(), name + ": " + list.out() + list.err());
      assertTrue(list.out().contains(backupId) && list.out().contains("also in primary"),
          name + ": " + list.out());
    }

    // One flipped byte in the Azure copy: its verify fails naming the object, GCS's passes.
    azure.flipByte(dumpKey);
    String rel = dumpKey.substring(stack.prefix.length() + 1);
    RealStack.Run bad = stack.cli(env, "offsite", "verify", "--repository", "az", "--config",
        config.toString());
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.out().contains(rel), bad.out());
    RealStack.Run good = stack.cli(env, "offsite", "verify", "--repository", "gcp", "--config",
        config.toString());
    assertEquals(0, good.exit(), good.out() + good.err());
    // --repair removes the bad copy and its manifest; a sync copies both again.
    bad = stack.cli(env, "offsite", "verify", "--repository", "az", "--repair", "--config",
        config.toString());
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    RealStack.Run sync = stack.cli(env, "offsite", "sync", "--repository", "az", "--wait",
        "--config", config.toString());
    assertEquals(0, sync.exit(), sync.out() + sync.err());
    good = stack.cli(env, "offsite", "verify", "--repository", "az", "--config",
        config.toString());
    assertEquals(0, good.exit(), good.out() + good.err());

    // Recovery from the GCS copy: the rows deleted since the backup come back.
    String rows = stack.psql(db, "select count(*) from tallies");
    stack.psql(db, "delete from tallies where id % 2 = 0");
    assertTrue(!rows.equals(stack.psql(db, "select count(*) from tallies")), rows);
    RealStack.Run recover = stack.cli(env, "recover", "db", db, "--latest", "--from", "gcp",
        "--wait", "--config", config.toString());
    assertEquals(0, recover.exit(), recover.out() + recover.err());
    assertTrue(recover.out().contains("gcp"), recover.out());
    assertEquals(rows, stack.psql(db, "select count(*) from tallies"));
    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    if (!kept.isEmpty()) stack.psql("postgres", "drop database " + kept + " with (force)");
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
