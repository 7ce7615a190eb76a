package io.lifeboat.verify;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class BackupVerificationWorkflowImpl implements BackupVerificationWorkflow {
  private final StepRecorder steps = new StepRecorder();
  private final List<VerificationResult> results = new ArrayList<>();

  /** One verifier per backup kind; new kinds are appended here. */
  List<SourceVerifier> verifiers() {
    return List.of(new DatabaseDumpVerifier(steps));
  }

  @Override
  public VerificationReport verify(VerificationRequest request) {
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(LifeboatSearchAttributes.KIND_VERIFY),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    // One source at a time: a restore is heavy, and the machine is shared with the backups.
    for (SourceVerifier verifier : verifiers()) {
      for (String source : verifier.sources(request)) {
        VerificationResult r = verifier.verify(request, source);
        results.add(r);
        VerificationMetrics.record(Workflow.getMetricsScope(), r);
      }
    }
    List<VerificationResult> failed = results.stream().filter(r -> !r.passed()).toList();
    List<String> notifyFailures = List.of();
    if (!failed.isEmpty()) {
      notifyFailures = Notifier.send(request.notifications(), notification(request, failed));
    }
    steps.finish(failed.isEmpty() ? "passed" : "failed");
    Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(failed.isEmpty()
        ? LifeboatSearchAttributes.OUTCOME_SUCCEEDED : LifeboatSearchAttributes.OUTCOME_FAILED));
    return new VerificationReport(results, steps.steps(), notifyFailures);
  }

  private static Notification notification(VerificationRequest request,
      List<VerificationResult> failed) {
    Map<String, String> details = new LinkedHashMap<>();
    for (VerificationResult r : failed) {
      details.put(r.kind() + " " + r.source(), (r.backupId() == null ? "" : r.backupId() + ": ")
          + r.message());
    }
    VerificationResult first = failed.get(0);
    String subject = failed.size() == 1
        ? "backup verification failed: " + first.source()
        : "backup verification failed for " + failed.size() + " sources";
    String text = first.message() + (failed.size() > 1 ? " (and " + (failed.size() - 1)
        + " more)" : "") + ". Keep the previous good backup and take a new one.";
    return new Notification(Notification.EVENT_VERIFICATION_FAILED, subject, text, details,
        request.notifications().link(Workflow.getInfo().getWorkflowId()));
  }

  @Override
  public List<VerificationResult> progress() {
    return List.copyOf(results);
  }
}
