package io.lifeboat.backup.opensearch;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.host.HostRouting;
import io.lifeboat.repository.BackupIds;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupNews;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * The shape of the Redis and PostgreSQL dumps for an OpenSearch snapshot: nothing is a backup
 * until its manifest is written, and the manifest is written only after the stored files were
 * fetched back into a scratch repository and restored into scratch indices whose document
 * counts match the source's. Shipping and the scratch restore read and write the node's disk,
 * so they run on the agent of opensearch[].host when one is named.
 */
public class OpenSearchBackupWorkflowImpl implements OpenSearchBackupWorkflow {
  private static final Logger log = Workflow.getLogger(OpenSearchBackupWorkflowImpl.class);
  public static final String KIND_OPENSEARCH = "opensearch";
  static final Duration HEARTBEAT = Duration.ofSeconds(60);

  private final StepRecorder steps = new StepRecorder();

  @Override
  public OpenSearchBackupResult backup(OpenSearchBackupRequest request) {
    String name = request.opensearch().name();
    String backupId = BackupIds.forThisRun(Workflow.currentTimeMillis());
    String snapshotName = OpenSearchLayout.snapshotName(backupId);
    String host = request.opensearch().host();
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(name),
        KIND.valueSet(KIND_OPENSEARCH), OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    BackupNews news = BackupNews.start(request.notifications(), KIND_OPENSEARCH,
        "OpenSearch backup", name, host, backupId);
    OpenSearchBackupActivities quick = ActivityStubs.of(OpenSearchBackupActivities.class,
        request.retry(), Duration.ofMinutes(10), null);
    OpenSearchBackupActivities waiting = ActivityStubs.of(OpenSearchBackupActivities.class,
        request.retry(), Duration.ofHours(12), HEARTBEAT);
    OpenSearchBackupActivities onHost = ActivityStubs.of(OpenSearchBackupActivities.class,
        request.retry(), Duration.ofHours(12), HEARTBEAT, HostRouting.queueFor(host));
    try {
      OpenSearchFacts before = steps.run("assess",
          () -> quick.opensearchAssess(request.opensearch()));
      OpenSearchSnapshot snap = steps.run("snapshot",
          () -> waiting.opensearchSnapshot(request.opensearch(), snapshotName));
      OpenSearchFacts after = steps.run("count-after",
          () -> quick.opensearchAssess(request.opensearch()));
      if (host != null) news.agents(steps.run("await-agent", () -> HostRouting.awaitAgent(host,
          request.retry())));
      OpenSearchShipResult shipped = steps.run("ship-files", () -> onHost.opensearchShipFiles(
          new OpenSearchShipRequest(request.opensearch(), request.repository(),
              request.compression(), backupId)));
      Map<String, Long> min = new TreeMap<>();
      Map<String, Long> max = new TreeMap<>();
      for (String index : snap.indices()) {
        long b = before.documents().getOrDefault(index, 0L);
        long a = after.documents().getOrDefault(index, b);
        min.put(index, Math.min(a, b));
        max.put(index, Math.max(a, b));
      }
      String runKey = backupId.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT)
          + "-" + Workflow.getInfo().getRunId().substring(0, 8);
      OpenSearchVerifyResult verified = steps.run("verify", () -> onHost.opensearchVerifyStored(
          new OpenSearchVerifyRequest(request.opensearch(), request.repository(),
              shipped.fileListKey(), snapshotName, min, max, runKey)));
      OpenSearchManifest manifest = new OpenSearchManifest(OpenSearchManifest.FORMAT_VERSION,
          backupId, OpenSearchManifest.KIND, name, request.opensearch().url(),
          before.distribution(), before.version(), request.opensearch().repository(),
          snapshotName, snap.uuid(), Instant.ofEpochMilli(snap.startedAtMillis()).toString(),
          Instant.ofEpochMilli(snap.finishedAtMillis()).toString(),
          new TreeMap<>(verified.documents()), shipped.files(), shipped.rawBytes(),
          shipped.storedBytes(), shipped.uploadedBytes(), shipped.fileListKey(),
          shipped.compression(),
          "every stored file read back (sha256, decrypted, zstd) into a scratch fs repository"
              + " and restored into scratch indices: " + verified.documents().size()
              + " indices, " + verified.documents().values().stream().mapToLong(Long::longValue)
                  .sum() + " documents, counts as on the node",
          Workflow.getInfo().getWorkflowId(), null);
      steps.run("commit-manifest", () -> quick.opensearchCommitManifest(request.repository(),
          manifest));
      news.finished(steps, shipped.storedBytes(), shipped.rawBytes(), null);
      List<String> expired = List.of();
      String warning = null;
      try {
        expired = steps.run("retention", () -> quick.opensearchApplyRetention(
            new OpenSearchRetentionRequest(request.opensearch(), request.repository(),
                request.retentionDays(), Workflow.currentTimeMillis(), request.retentionKeep(),
                request.retentionZone())));
      } catch (ActivityFailure e) {
        warning = "retention failed: " + FailureMessage.of(e);
        log.warn("opensearch backup {} of {} is good but {}", backupId, name, warning);
      }
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      return new OpenSearchBackupResult(manifest, expired, warning, steps.steps());
    } catch (ActivityFailure | CanceledFailure e) {
      io.lifeboat.run.FailedBackup.close(steps, e, "opensearch backup " + backupId, () -> quick.opensearchDiscardIncomplete(
          new OpenSearchDiscardRequest(request.opensearch(), request.repository(), backupId)),
          news.announce(steps, e), log);
      throw e;
    }
  }

  @Override
  public String step() {
    return steps.current();
  }
}
