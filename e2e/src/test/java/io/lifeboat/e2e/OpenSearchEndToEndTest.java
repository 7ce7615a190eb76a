package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.opensearch.OpenSearchFiles;
import io.lifeboat.backup.opensearch.OpenSearchHttp;
import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.backup.opensearch.OpenSearchScratch;
import io.lifeboat.backup.opensearch.OpenSearchVerifyRequest;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.Secrets;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * OpenSearch against a real OpenSearch 2.19.6 node (issue 19): documents indexed, backed up
 * (twice: the second ships only what changed), changed and deleted, recovered, compared by _id
 * and _source; the replaced index is kept; one flipped byte in storage fails verification and
 * the recovery, before a live index is touched; unknown name, node down and a wrong URL are one
 * line each.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class OpenSearchEndToEndTest {
  private RealStack stack;
  private OpenSearchNode node;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
    node = OpenSearchNode.start(stack.dir.resolve("opensearch"));
  }

  @AfterEach
  void down() throws Exception {
    if (node != null) node.close();
    stack.close();
  }

  private Path config(String name, String url) throws Exception {
    return stack.config(name, root -> {
      ObjectNode o = root.putArray("opensearch").addObject();
      o.put("name", "search").put("url", url)
          .put("snapshotDir", node.repoRoot.resolve("lifeboat").toString());
    });
  }

  private void load() throws Exception {
    node.ok("PUT", "/tallies", "{\"settings\":{\"number_of_shards\":2}}");
    node.ok("PUT", "/farms", "{}");
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      bulk.append("{\"index\":{\"_index\":\"tallies\",\"_id\":\"t").append(i).append("\"}}\n")
          .append("{\"farm\":\"f").append(i % 20).append("\",\"count\":").append(i * 3)
          .append(",\"note\":\"tally number ").append(i).append("\"}\n");
    }
    for (int i = 0; i < 20; i++) {
      bulk.append("{\"index\":{\"_index\":\"farms\",\"_id\":\"f").append(i).append("\"}}\n")
          .append("{\"name\":\"Farm ").append(i).append("\",\"acres\":").append(10 + i)
          .append("}\n");
    }
    assertFalse(node.ok("POST", "/_bulk?refresh=true", bulk.toString()).path("errors")
        .asBoolean(), "bulk load");
  }

  private OpenSearchManifest manifest(String backupId) throws Exception {
    String key = stack.keys().stream().filter(k -> k.contains("/opensearch/search/snapshots/"
        + backupId + "/") && k.endsWith("/manifest.json")).findFirst().orElseThrow();
    try (InputStream in = stack.store().get(key)) {
      return io.lifeboat.backup.dump.Manifests.JSON.readValue(in, OpenSearchManifest.class);
    }
  }

  private String committedId(RealStack.Run run) {
    String line = run.out().lines().filter(l -> l.startsWith("backup ") && l.contains(
        "is committed")).findFirst().orElseThrow(() -> new AssertionError(run.out()));
    return line.split(" ")[1];
  }

  @Test
  void backupRecoverGivesTheSameDocumentsAndAFlippedByteFailsVerification() throws Exception {
    load();
    String tallies = node.documents("tallies");
    String farms = node.documents("farms");
    Path config = config("opensearch", node.url());

    RealStack.Run b = stack.cli("backup", "opensearch", "search", "--wait", "--config",
        config.toString());
    assertEquals(0, b.exit(), b.out() + b.err());
    OpenSearchManifest m = manifest(committedId(b));
    assertEquals(Map.of("farms", 20L, "tallies", 300L), m.documents());
    assertEquals("opensearch", m.distribution());
    assertTrue(m.encryption() != null || stack.base.repository().encryption() == null);
    assertTrue(m.files() > 5 && m.uploadedBytes() == m.storedBytes(), m.toString());

    // A second backup of the same data ships only what the node wrote anew.
    RealStack.Run b2 = stack.cli("backup", "opensearch", "search", "--wait", "--config",
        config.toString());
    assertEquals(0, b2.exit(), b2.out() + b2.err());
    OpenSearchManifest m2 = manifest(committedId(b2));
    assertTrue(m2.uploadedBytes() < m2.storedBytes(), m2.toString());
    RealStack.Run list = stack.cli("backups", "list", "--opensearch", "search", "--config",
        config.toString());
    assertTrue(list.out().contains(m.backupId()) && list.out().contains(m2.backupId())
        && list.out().contains(" 320 "), list.out());
    // Nothing of the scratch restores is left on the node.
    assertEquals(List.of("farms", "tallies"), node.indices());
    assertEquals(1, node.ok("GET", "/_snapshot", null).size(), "only Lifeboat's repository");

    // The data changes: documents updated, deleted, added; one index gone.
    node.ok("POST", "/tallies/_doc/t1?refresh=true", "{\"farm\":\"changed\"}");
    node.ok("DELETE", "/tallies/_doc/t2?refresh=true", null);
    node.ok("POST", "/tallies/_doc/new?refresh=true", "{\"farm\":\"after backup\"}");
    node.ok("DELETE", "/farms", null);
    assertNotEquals(tallies, node.documents("tallies"));

    RealStack.Run r = stack.cli("recover", "opensearch", "search", "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("recovered from backup " + m2.backupId()), r.out());
    // Timed against the RTO and reported like a database recovery (issue 19).
    java.util.regex.Matcher reportLine = java.util.regex.Pattern
        .compile("report: lifeboat report (\\S+)").matcher(r.out());
    assertTrue(reportLine.find(), r.out());
    RealStack.Run report = stack.cli("report", reportLine.group(1), "--config",
        config.toString());
    assertEquals(0, report.exit(), report.out() + report.err());
    assertTrue(report.out().contains("recovery: search")
        && report.out().contains(m2.backupId()) && report.out().contains("restore-staged"),
        report.out());
    assertEquals(tallies, node.documents("tallies"), "tallies equal the source by _id, _source");
    assertEquals(farms, node.documents("farms"), "farms equal the source by _id and _source");
    // The replaced index is kept (write-blocked) with the changed documents; no scratch left.
    List<String> indices = node.indices();
    String kept = indices.stream().filter(i -> i.startsWith("tallies-before-")).findFirst()
        .orElseThrow(() -> new AssertionError(indices.toString()));
    assertEquals(300, node.ok("GET", "/" + kept + "/_count", null).path("count").asLong());
    assertTrue(node.documents(kept).contains("after backup"));
    assertEquals(3, indices.size(), indices.toString());
    try (var s = Files.list(node.repoRoot.resolve("lifeboat-scratch"))) {
      assertEquals(0, s.count(), "the scratch repositories are removed");
    }

    // One flipped byte in the largest stored blob: verification fails, and so does a recovery,
    // before any live index is touched.
    String victim = stack.keys().stream().filter(k -> k.contains("/opensearch/search/blobs/"))
        .max(Comparator.comparingLong(k -> stack.store().head(k).orElseThrow().size()))
        .orElseThrow();
    byte[] stored;
    try (InputStream in = stack.store().get(victim)) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    stack.store().put(victim, stored, "application/octet-stream");
    OpenSearchConfig o = new OpenSearchConfig("search", null, node.url(), null, null, null,
        node.repoRoot.resolve("lifeboat").toString(), null, null);
    ApplicationFailure bad = assertThrows(ApplicationFailure.class,
        () -> OpenSearchScratch.verify(new OpenSearchHttp(Secrets.fromEnvironment()),
            stack.store(), stack.cipher(), new OpenSearchVerifyRequest(o,
                stack.base.repository(), m2.fileListKey(), m2.snapshot(), m2.documents(),
                m2.documents(), "flipped"), () -> { }));
    assertTrue(bad.getType().endsWith("BACKUP_CORRUPT"), bad.getType() + ": " + bad.getMessage());
    assertTrue(OpenSearchFiles.readList(stack.store(), stack.cipher(), m2.fileListKey()).stream()
        .anyMatch(e -> e.key().equals(victim)), "the flipped blob is one the backup needs");

    node.ok("POST", "/farms/_doc/untouched?refresh=true", "{\"x\":1}");
    RealStack.Run refused = stack.cli("recover", "opensearch", "search", "--wait", "--config",
        config.toString());
    assertNotEquals(0, refused.exit(), refused.out());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains(victim.substring(victim.lastIndexOf('/') + 1)),
        refused.err());
    assertEquals(21, node.ok("GET", "/farms/_count", null).path("count").asLong(),
        "the live index was not touched");
  }

  @Test
  void unknownNameNodeDownAndWrongUrlAreOneLineEach() throws Exception {
    Path good = config("good", node.url());
    RealStack.Run u = stack.cli("backup", "opensearch", "nope", "--config", good.toString());
    assertEquals(2, u.exit(), u.err());
    assertTrue(u.err().contains("unknown opensearch 'nope'"), u.err());

    Path down = config("down", "http://127.0.0.1:" + RedisServer.freePort());
    RealStack.Run d = stack.cli("backup", "opensearch", "search", "--wait", "--config",
        down.toString());
    assertNotEquals(0, d.exit());
    assertEquals(1, d.err().strip().lines().count(), d.err());
    assertTrue(d.err().contains("does not answer"), d.err());

    Path malformed = config("malformed", "ftp//127.0.0.1:9200");
    RealStack.Run w = stack.cli("backup", "opensearch", "search", "--config",
        malformed.toString());
    assertEquals(2, w.exit(), w.err());
    assertEquals(1, w.err().strip().lines().count(), w.err());
    assertTrue(w.err().contains("opensearch[0].url"), w.err());

    // A URL where something answers that is not a search node (the stack's S3).
    Path notANode = config("s3", stack.base.repository().endpoint());
    RealStack.Run n = stack.cli("backup", "opensearch", "search", "--wait", "--config",
        notANode.toString());
    assertNotEquals(0, n.exit());
    assertEquals(1, n.err().strip().lines().count(), n.err());
    assertTrue(n.err().contains("opensearch search at"), n.err());
  }
}
