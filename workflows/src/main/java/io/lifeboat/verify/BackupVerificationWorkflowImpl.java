package io.lifeboat.verify;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
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
    List<Job> jobs = new ArrayList<>();
    for (SourceVerifier verifier : verifiers()) {
      for (String source : verifier.sources(request)) jobs.add(new Job(verifier, source));
    }
    // Issue 21: up to verification.parallel sources at once (their heavy steps also wait for
    // the worker's bulk slots); runs recorded before it, or parallel 1, one at a time.
    if (request.parallel() > 1 && jobs.size() > 1
        && Workflow.getVersion(PARALLEL, Workflow.DEFAULT_VERSION, 1) >= 1) {
      verifyInParallel(request, jobs);
    } else {
      for (Job job : jobs) done(job.verifier().verify(request, job.source()));
    }
    List<VerificationResult> failed = results.stream().filter(r -> !r.passed()).toList();
    List<String> notifyFailures = List.of();
    if (!failed.isEmpty()) {
      notifyFailures = Notifier.send(request.notifications(), notification(request, failed));
    } else {
      // Issue 22: a verification that passed says so too (the failure said so before).
      Map<String, String> d = new LinkedHashMap<>();
      for (VerificationResult r : results) {
        d.put(r.kind() + " " + r.source(), (r.backupId() == null ? "" : r.backupId() + ": ")
            + r.message());
      }
      io.lifeboat.run.RunNotice.send(NOTIFY_PASSED, request.notifications(), EVENT_PASSED,
          "backup verification passed: " + results.size() + " source(s)",
          "every newest backup restored and checked", d);
    }
    steps.finish(failed.isEmpty() ? "passed" : "failed");
    Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(failed.isEmpty()
        ? LifeboatSearchAttributes.OUTCOME_SUCCEEDED : LifeboatSearchAttributes.OUTCOME_FAILED));
    return new VerificationReport(results, steps.steps(), notifyFailures);
  }

  static final String PARALLEL = "verify-parallel";
  static final String NOTIFY_PASSED = "verification-passed-notice";
  public static final String EVENT_PASSED = "verification-passed";

  private record Job(SourceVerifier verifier, String source) {}

  /**
   * A window of {@code request.parallel()} sources: the next starts when one finishes. Results
   * come in the order the sources finish; the report lists them in the sources' order.
   */
  private void verifyInParallel(VerificationRequest request, List<Job> jobs) {
    List<Promise<VerificationResult>> started = new ArrayList<>();
    int[] running = {0};
    for (Job job : jobs) {
      Workflow.await(() -> running[0] < request.parallel());
      running[0]++;
      started.add(Async.function(() -> {
        try {
          VerificationResult r = job.verifier().verify(request, job.source());
          done(r);
          return r;
        } finally {
          running[0]--;
        }
      }));
    }
    Promise.allOf(started).get();
    List<VerificationResult> inOrder = new ArrayList<>();
    for (Promise<VerificationResult> p : started) inOrder.add(p.get());
    results.clear();
    results.addAll(inOrder);
  }

  private void done(VerificationResult r) {
    results.add(r);
    VerificationMetrics.record(Workflow.getMetricsScope(), r);
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
