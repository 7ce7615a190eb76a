package io.lifeboat.offsite;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.run.StepTiming;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

public class OffsiteCopyWorkflowImpl implements OffsiteCopyWorkflow {
  private static final Logger log = Workflow.getLogger(OffsiteCopyWorkflowImpl.class);

  /** Search attribute kind of offsite copy runs (LifeboatKind="offsite" in the web UI). */
  public static final String KIND_OFFSITE = "offsite";
  /** Issue 22: a finished copy says so (the failure said so before). */
  static final String NOTIFY_FINISHED = "offsite-finished-notice";
  public static final String EVENT_FINISHED = "offsite-finished";

  /** A big object over a slow link takes long; a silent worker is declared dead after this. */
  static final Duration COPY_HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);

  private final StepRecorder steps = new StepRecorder();

  @Override
  public CopyRecord copy(OffsiteCopyRequest request) {
    long startedAt = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(KIND_OFFSITE),
        DATABASE.valueSet(request.source()),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    OffsiteActivities quick = activities(request.retry(), Duration.ofMinutes(10), null);
    OffsiteActivities streaming =
        activities(request.retry(), Duration.ofHours(24), COPY_HEARTBEAT_TIMEOUT);
    String primaryPrefix = request.primary().prefix();
    try {
      LockStatus lock = steps.run("probe-object-lock", () -> quick.probeLock(request.offsite()));
      if (!lock.enabled() && request.offsite().objectLock() != null) {
        log.warn("offsite {} has no Object Lock ({}): copies are not locked",
            request.offsite().bucket(), lock.describe());
      }
      List<CopyResult> copies = new ArrayList<>();
      for (String scope : request.scopes()) {
        copies.add(steps.run("copy " + scope, () -> streaming.copy(
            new CopyRequest(request.primary(), request.offsite(), scope, lock))));
      }
      int verified = 0;
      if (request.offsite().verifyAfterCopy()) {
        for (CopyResult c : copies) {
          if (c.copiedKeys().isEmpty()) continue;
          // Too many to list in the history: read back the whole scope (null keys) instead.
          List<String> keys = c.keysTruncated() ? null : c.copiedKeys();
          VerifyCopyResult v = steps.run("verify " + c.scope(), () -> streaming.verify(
              new VerifyCopyRequest(request.offsite(), primaryPrefix, c.scope(), keys)));
          verified += v.checked();
        }
      }
      List<String> warnings = new ArrayList<>();
      List<String> expired = new ArrayList<>();
      List<String> retentionSkipped = new ArrayList<>();
      if (request.applyRetention()) {
        long now = Workflow.currentTimeMillis();
        for (String scope : request.scopes()) {
          try {
            OffsiteRetentionResult r = steps.run("retention " + scope, () -> quick.applyRetention(
                new OffsiteRetentionRequest(request.offsite(), primaryPrefix, scope, now)));
            expired.addAll(r.expired());
            retentionSkipped.addAll(r.skipped());
          } catch (ActivityFailure e) {
            // The copies are made and verified; a failed clean-up must not hide that.
            warnings.add("retention of " + scope + " failed: " + FailureMessage.of(e));
          }
        }
      }
      steps.finish("done");
      long finishedAt = Workflow.currentTimeMillis();
      CopyRecord record = record(request, startedAt, finishedAt, lock, copies, verified, expired,
          retentionSkipped, warnings);
      try {
        quick.record(request.offsite(), primaryPrefix, record);
      } catch (ActivityFailure e) {
        log.warn("offsite copy record not stored: {}", FailureMessage.of(e));
      }
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      OffsiteMetrics.succeeded(Workflow.getMetricsScope(),
          request.offsite().repositoryName(), request.kind(), request.source(),
          finishedAt, record.bytesCopied());
      io.lifeboat.run.RunNotice.send(NOTIFY_FINISHED, request.notifications(), EVENT_FINISHED,
          "offsite copy of " + request.source() + " finished", "offsite copy of "
              + request.source() + " (" + request.kind() + ") to " + request.offsite().repositoryName()
              + " (" + request.offsite().bucket() + ")"
              + " finished in " + io.lifeboat.run.Projection.duration(finishedAt - startedAt)
              + ": " + record.copied() + " objects, " + record.bytesCopied() + " bytes copied, "
              + record.verified() + " verified", Map.of("Kind", request.kind(),
              "Source", request.source(), "Copied bytes", String.valueOf(record.bytesCopied())));
      for (CopyResult c : copies) {
        Long lag = c.walLagSeconds();
        String database = OffsiteScopes.walDatabase(c.scope());
        if (lag != null && database != null) {
          OffsiteMetrics.walLag(Workflow.getMetricsScope(), request.offsite().repositoryName(), database, lag,
              c.walOffsiteNewestMillis());
        }
      }
      return record;
    } catch (ActivityFailure e) {
      steps.finish("failed");
      Workflow.newDetachedCancellationScope(() -> {
        Workflow.upsertTypedSearchAttributes(
            OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
        notifyFailure(request, e);
      }).run();
      OffsiteMetrics.failed(Workflow.getMetricsScope(), request.offsite().repositoryName(), request.kind(), request.source());
      throw e;
    }
  }

  @Override
  public List<StepTiming> progress() {
    return steps.steps();
  }

  private CopyRecord record(OffsiteCopyRequest request, long startedAt, long finishedAt,
      LockStatus lock, List<CopyResult> copies, int verified, List<String> expired,
      List<String> retentionSkipped, List<String> warnings) {
    int copied = 0;
    int skipped = 0;
    long bytes = 0;
    List<String> backups = new ArrayList<>();
    Map<String, Long> walLag = new LinkedHashMap<>();
    for (CopyResult c : copies) {
      if (c.walLagSeconds() != null && OffsiteScopes.walDatabase(c.scope()) != null) {
        walLag.put(OffsiteScopes.walDatabase(c.scope()), c.walLagSeconds());
      }
      copied += c.copied();
      skipped += c.skipped();
      bytes += c.bytesCopied();
      backups.addAll(c.backupsCopied());
    }
    return new CopyRecord(request.kind(), request.source(),
        Instant.ofEpochMilli(startedAt).toString(), Instant.ofEpochMilli(finishedAt).toString(),
        request.offsite().endpoint(), request.offsite().bucket(), lock.describe(), copied,
        skipped, bytes, verified, backups, expired, retentionSkipped, warnings, steps.steps(),
        Workflow.getInfo().getWorkflowId(), walLag);
  }

  private void notifyFailure(OffsiteCopyRequest request, ActivityFailure e) {
    String step = steps.last();
    ApplicationFailure app = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        app = a;
        break;
      }
    }
    String hint = app == null ? "" : FailureKind.ofType(app.getType())
        .map(k -> " (" + k.hint() + ")").orElse("");
    Map<String, String> details = new LinkedHashMap<>();
    details.put("kind", request.kind());
    details.put("source", request.source());
    details.put("repository", request.offsite().repositoryName());
    details.put("offsite", request.offsite().endpoint() + " bucket " + request.offsite().bucket());
    details.put("failed step", step);
    if (app != null) details.put("failure type", app.getType());
    details.put("primary backup", "not affected: it is committed in the primary repository");
    Notifier.send(request.notifications(), new Notification(Notification.EVENT_FAILURE,
        "offsite copy of " + request.source() + (request.offsite().named()
            ? " to " + request.offsite().repositoryName() : "") + " failed",
        "step " + step + ": " + FailureMessage.of(e) + hint, details,
        request.notifications().link(Workflow.getInfo().getWorkflowId())));
  }

  private static OffsiteActivities activities(RetryConfig retry, Duration startToClose,
      Duration heartbeat) {
    return ActivityStubs.of(OffsiteActivities.class, retry, startToClose, heartbeat);
  }
}
