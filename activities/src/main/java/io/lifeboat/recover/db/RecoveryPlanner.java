package io.lifeboat.recover.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.recover.db.PlanRequest;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryTarget;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides from the repository alone what a recovery will use, before anything is touched:
 * a base backup plus WAL when the repository has them (any target), else the newest full dump
 * (latest only). A target outside what is stored is refused here.
 */
public final class RecoveryPlanner {
  static final ObjectMapper JSON = new ObjectMapper();
  private final PitrPlanner pitr;

  RecoveryPlanner(PitrPlanner pitr) {
    this.pitr = pitr;
  }

  /**
   * The plan the workflow's first step will make, for the CLI to refuse a bad target before a
   * workflow is even started. Failures are the registry's ApplicationFailures.
   */
  public static RecoveryPlan preview(PlanRequest req, ObjectStore store) {
    return io.lifeboat.failure.ActivityFailures.typed(() -> new RecoveryPlanner(new PitrPlanner())
        .plan(req, store));
  }

  RecoveryPlan plan(PlanRequest req, ObjectStore store) {
    Optional<RecoveryPlan> fromBase = pitr.plan(req, store);
    if (fromBase.isPresent()) return fromBase.get();
    if (!RecoveryTarget.LATEST.equals(req.target().mode())) {
      throw FailureKind.RECOVERY_TARGET_INVALID.failure("no base backup of "
          + req.database().name() + " in the repository: recovery to a " + req.target().mode()
          + " needs one (lifeboat backup base " + req.database().name() + ") and the WAL after"
          + " it; only --latest can use a full dump");
    }
    return newestDump(req.repository(), req.database().name(), store);
  }

  static RecoveryPlan newestDump(RepositoryConfig repo, String database, ObjectStore store) {
    String root = RepositoryLayout.fullBackupsRoot(repo.prefix(), database);
    List<String> manifests = new ArrayList<>();
    for (String key : store.list(root)) {
      if (key.endsWith("/" + RepositoryLayout.MANIFEST)) manifests.add(key);
    }
    if (manifests.isEmpty()) {
      throw FailureKind.BACKUP_NOT_FOUND.failure("the repository has no committed backup of "
          + database + " (no base backup, no full dump under " + root + ")");
    }
    // Ids sort by time; the newest committed one wins.
    JsonNode m = read(store, manifests.get(manifests.size() - 1));
    return new RecoveryPlan(RecoveryPlan.DUMP, m.path("backupId").asText(),
        m.path("objectKey").asText(), m.path("storedBytes").asLong(),
        m.path("finishedAt").asText(null), null, null, null, null, 0);
  }

  static JsonNode read(ObjectStore store, String key) {
    try (InputStream in = store.get(key)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("cannot read " + key + ": " + e.getMessage());
    }
  }
}
