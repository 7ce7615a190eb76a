package io.lifeboat.worker;

import com.uber.m3.tally.Scope;
import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.verify.VerificationMetrics;
import io.lifeboat.verify.VerificationRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the "last good" gauges from the repository when the worker starts. Without it a
 * restarted worker exposes no last-success timestamp until the next backup, so BackupMissing
 * could only look back over old samples, and a fresh Prometheus would see nothing at all.
 *
 * <p>Only what the repository proves is seeded: the newest manifest's commit time and sizes,
 * and the newest verification record's result. {@code lifeboat_backup_success} is not: a run
 * that failed after the newest manifest leaves no trace in the bucket.
 *
 * <p>The series carry the tags a workflow's metrics carry (namespace, task_queue,
 * workflow_type), so the next workflow run updates the same series instead of adding one.
 */
final class GaugeSeeder {
  private static final Logger log = LoggerFactory.getLogger(GaugeSeeder.class);

  private GaugeSeeder() {}

  /** Returns how many sources were seeded; failures are logged, never thrown. */
  static int seed(Scope root, LifeboatConfig config, String taskQueue, ObjectStore store) {
    int seeded = 0;
    String prefix = config.repository().prefix();
    for (DatabaseConfig db : config.databases()) {
      try {
        Optional<BackupManifest> newest = Manifests.newest(store, prefix, db.name());
        if (newest.isEmpty()) continue;
        BackupManifest m = newest.get();
        Scope s = root.tagged(tags(config, taskQueue, "DatabaseBackupWorkflow",
            BackupMetrics.TAG_DATABASE, db.name(), m.kind()));
        s.gauge(BackupMetrics.LAST_SUCCESS_TIMESTAMP)
            .update(Instant.parse(m.finishedAt()).getEpochSecond());
        s.gauge(BackupMetrics.SIZE_BYTES).update(m.storedBytes());
        s.gauge(BackupMetrics.RAW_SIZE_BYTES).update(m.rawBytes());
        Optional<VerificationRecord> verified =
            Manifests.lastVerification(store, prefix, db.name(), m.backupId());
        if (verified.isPresent()) {
          VerificationRecord r = verified.get();
          Scope v = root.tagged(tags(config, taskQueue, "BackupVerificationWorkflow",
              VerificationMetrics.TAG_SOURCE, db.name(), r.kind()));
          long at = Instant.parse(r.verifiedAt()).getEpochSecond();
          v.gauge(VerificationMetrics.SUCCESS).update(r.passed() ? 1 : 0);
          v.gauge(VerificationMetrics.LAST_TIMESTAMP).update(at);
          if (r.passed()) v.gauge(VerificationMetrics.LAST_SUCCESS_TIMESTAMP).update(at);
        }
        seeded++;
      } catch (RuntimeException e) {
        log.warn("could not seed metrics of {} from the repository: {}", db.name(),
            e.getMessage());
      }
    }
    log.info("metrics seeded from the repository for {} of {} databases", seeded,
        config.databases().size());
    return seeded;
  }

  private static Map<String, String> tags(LifeboatConfig config, String taskQueue,
      String workflowType, String sourceTag, String source, String kind) {
    Map<String, String> tags = new HashMap<>();
    tags.put("namespace", config.temporal().namespace());
    tags.put("task_queue", taskQueue);
    tags.put("workflow_type", workflowType);
    tags.put(sourceTag, source);
    tags.put(BackupMetrics.TAG_KIND, kind == null ? LifeboatSearchAttributes.KIND_DB_FULL : kind);
    return tags;
  }
}
