package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.verify.VerificationMetrics;
import io.lifeboat.verify.VerificationRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A restarted worker exposes the last good backup and verification from the bucket. */
class GaugeSeederTest {
  private static final String DB = "farmtally_production";

  /** Just enough of an object store: a sorted map of keys. */
  static class MapStore implements ObjectStore {
    final TreeMap<String, byte[]> objects = new TreeMap<>();

    @Override public void put(String key, byte[] content, String contentType) {
      objects.put(key, content);
    }
    @Override public InputStream get(String key) {
      byte[] b = objects.get(key);
      if (b == null) throw new StorageException(FailureKind.BACKUP_NOT_FOUND, "no " + key, null);
      return new ByteArrayInputStream(b);
    }
    @Override public boolean exists(String key) {
      return objects.containsKey(key);
    }
    @Override public List<String> list(String prefix) {
      return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }
    @Override public void delete(String key) { objects.remove(key); }
    @Override public String startUpload(String key) { throw new UnsupportedOperationException(); }
    @Override public String uploadPart(String k, String u, int n, byte[] d, int l) {
      throw new UnsupportedOperationException();
    }
    @Override public void completeUpload(String k, String u, List<String> e) {
      throw new UnsupportedOperationException();
    }
    @Override public void abortUpload(String k, String u) { }
    @Override public int abortUploads(String prefix) { return 0; }
    @Override public List<PendingUpload> pendingUploads(String prefix) { return List.of(); }
    @Override public boolean putIfAbsent(String key, byte[] content, String contentType,
        java.util.Map<String, String> metadata) {
      return objects.putIfAbsent(key, content) == null;
    }
    @Override public java.util.Optional<ObjectInfo> head(String key) {
      byte[] b = objects.get(key);
      return b == null ? java.util.Optional.empty()
          : java.util.Optional.of(new ObjectInfo(key, b.length, java.time.Instant.EPOCH, java.util.Map.of()));
    }
    @Override public void close() { }
  }

  private static void manifest(MapStore store, String prefix, String id, Instant finished,
      long stored) throws Exception {
    BackupManifest m = new BackupManifest(1, id, "db-full", DB, "h:1", "15",
        finished.minusSeconds(60).toString(), finished.toString(), stored * 5, stored, "00",
        "zstd", RepositoryLayout.dumpKey(prefix, DB, id), null, "STANDARD", "none", Map.of(),
        "", "w");
    store.put(RepositoryLayout.manifestKey(prefix, DB, id), new ObjectMapper().writeValueAsBytes(m),
        "application/json");
  }

  @Test
  void newestManifestAndVerificationRecordBecomeGaugesWithTheWorkflowsLabels() throws Exception {
    LifeboatConfig config = new ConfigLoader().load(
        Path.of("../examples/farmtally/lifeboat.yml").toAbsolutePath().normalize());
    String prefix = config.repository().prefix();
    MapStore store = new MapStore();
    Instant older = Instant.parse("2026-11-20T02:01:00Z");
    Instant newest = Instant.parse("2026-11-21T02:01:00Z");
    manifest(store, prefix, "20261120T020000Z", older, 1000);
    manifest(store, prefix, "20261121T020000Z", newest, 1234);
    VerificationRecord record = new VerificationRecord(1, "db-full", DB, "20261121T020000Z",
        "2026-11-21T05:31:00Z", false, FailureKind.BACKUP_CORRUPT.type(), "sha256 mismatch",
        List.of(), "verify-backups-farmtally");
    store.put(RepositoryLayout.verificationKey(prefix, DB, "20261121T020000Z",
        Instant.parse("2026-11-21T05:31:00Z").toEpochMilli()),
        new ObjectMapper().writeValueAsBytes(record), "application/json");

    try (WorkerMetrics metrics = new WorkerMetrics()) {
      assertEquals(1, GaugeSeeder.seed(metrics.scope(), config, "q1", store));
      Scrape scrape = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        scrape = Scrape.parse(metrics.registry().scrape());
        if (scrape.find(VerificationMetrics.SUCCESS, Map.of()).isPresent()
            && scrape.find(BackupMetrics.LAST_SUCCESS_TIMESTAMP, Map.of()).isPresent()) break;
        Thread.sleep(200);
      }
      var last = scrape.find(BackupMetrics.LAST_SUCCESS_TIMESTAMP, Map.of("database", DB))
          .orElseThrow(() -> new AssertionError("not seeded"));
      assertEquals((double) newest.getEpochSecond(), last.value(), "the newest manifest's commit");
      assertEquals(Set.of("database", "kind", "namespace", "task_queue", "workflow_type"),
          last.labels().keySet(), "the labels a backup workflow's own series carry");
      assertEquals("DatabaseBackupWorkflow", last.labels().get("workflow_type"));
      assertEquals("q1", last.labels().get("task_queue"));
      assertEquals(1234.0, scrape.find(BackupMetrics.SIZE_BYTES, Map.of("database", DB))
          .orElseThrow().value());
      assertTrue(scrape.find(BackupMetrics.SUCCESS, Map.of()).isEmpty(),
          "the outcome of the last run is not in the bucket: not seeded");

      var verified = scrape.find(VerificationMetrics.SUCCESS, Map.of("source", DB)).orElseThrow();
      assertEquals(0.0, verified.value(), "the record says it failed");
      assertEquals("BackupVerificationWorkflow", verified.labels().get("workflow_type"));
      assertTrue(scrape.find(VerificationMetrics.LAST_SUCCESS_TIMESTAMP, Map.of()).isEmpty());
    }
  }

  @Test
  void anUnreadableRepositorySeedsNothingAndDoesNotThrow() throws Exception {
    LifeboatConfig config = new ConfigLoader().load(
        Path.of("../examples/farmtally/lifeboat.yml").toAbsolutePath().normalize());
    MapStore broken = new MapStore() {
      @Override public List<String> list(String prefix) {
        throw new StorageException(FailureKind.S3_UNAVAILABLE, "connection refused", null);
      }
    };
    try (WorkerMetrics metrics = new WorkerMetrics()) {
      assertEquals(0, GaugeSeeder.seed(metrics.scope(), config, "q1", broken));
    }
  }
}
