package io.lifeboat.recover.opensearch;

import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.SourceRecoveryRun;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Choose the backup, fetch its files into a scratch repository on the node's host, restore the
 * chosen indices renamed and compare their counts with the manifest (the live indices are not
 * touched until this proof holds), then swap: each live index is blocked for writes, cloned to
 * a kept name, deleted, and the snapshot restored under the original names; counts compared
 * again. The scratch indices, repository and files go in the end, also after a failure.
 */
public class OpenSearchRecoveryWorkflowImpl implements OpenSearchRecoveryWorkflow {
  public static final String KIND_OPENSEARCH_RECOVERY = "opensearch-recovery";
  private final StepRecorder steps = new StepRecorder();

  @Override
  public OpenSearchRecoveryResult recover(OpenSearchRecoveryRequest request) {
    String name = request.opensearch().name();
    String host = request.opensearch().host();
    SourceRecoveryRun news = SourceRecoveryRun.start(request.timing(), request.notifications(),
        request.repository(), KIND_OPENSEARCH_RECOVERY, "OpenSearch recovery", name,
        request.backupId(), steps, () -> planned(host));
    OpenSearchRecoveryActivities anywhere = ActivityStubs.of(OpenSearchRecoveryActivities.class,
        request.retry(), Duration.ofHours(12), Duration.ofSeconds(60));
    OpenSearchRecoveryActivities onHost = ActivityStubs.of(OpenSearchRecoveryActivities.class,
        request.retry(), Duration.ofHours(12), Duration.ofSeconds(60),
        HostRouting.queueFor(host));
    OpenSearchStageRequest stage = null;
    try {
      OpenSearchManifest m = steps.run("choose-backup", () -> anywhere.opensearchChooseBackup(
          request.repository(), name, request.backupId()));
      news.backup(m.backupId());
      List<String> indices = new ArrayList<>(request.indices().isEmpty()
          ? m.documents().keySet() : request.indices());
      for (String i : indices) {
        if (!m.documents().containsKey(i)) {
          throw FailureKind.BACKUP_NOT_FOUND.failure("backup " + m.backupId() + " of opensearch "
              + name + " holds no index '" + i + "'; it holds " + m.documents().keySet());
        }
      }
      if (host != null) steps.run("await-agent", () -> HostRouting.awaitAgent(host,
          request.retry()));
      String runKey = m.backupId().replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT)
          + "-" + Workflow.getInfo().getRunId().substring(0, 8);
      stage = new OpenSearchStageRequest(request.opensearch(), request.repository(), m, indices,
          runKey);
      OpenSearchStageRequest s = stage;
      steps.run("stage", () -> onHost.opensearchStage(s));
      Map<String, Long> staged = steps.run("restore-staged",
          () -> anywhere.opensearchRestoreStaged(s));
      Map<String, Long> expected = new TreeMap<>();
      for (String i : indices) expected.put(i, m.documents().get(i));
      if (!expected.equals(new TreeMap<>(staged))) {
        throw FailureKind.RECOVERY_FAILED.failure("the staged restore of backup " + m.backupId()
            + " holds " + new TreeMap<>(staged) + " documents, its manifest says " + expected
            + "; no live index was touched");
      }
      OpenSearchSwapResult swapped = steps.run("swap", () -> anywhere.opensearchSwap(s));
      if (!expected.equals(new TreeMap<>(swapped.documents()))) {
        throw FailureKind.RECOVERY_FAILED.failure("opensearch " + name + " holds "
            + new TreeMap<>(swapped.documents()) + " documents after restoring backup "
            + m.backupId() + ", its manifest says " + expected + "; the replaced indices are"
            + " kept as " + swapped.kept().values());
      }
      steps.run("discard-stage", () -> onHost.opensearchDiscardStage(s));
      news.fact("Documents", expected.toString());
      news.fact("Replaced indices kept as", swapped.kept().toString());
      steps.finish("done");
      String report = news.succeeded(expected.size() + " index(es), " + expected
          + " documents");
      return new OpenSearchRecoveryResult(name, m.backupId(), expected,
          new TreeMap<>(swapped.documents()), swapped.kept(), steps.steps(), report);
    } catch (ActivityFailure | ApplicationFailure e) {
      steps.finish("failed");
      OpenSearchStageRequest s = stage;
      news.failed(e, () -> {
        if (s != null) {
          try {
            onHost.opensearchDiscardStage(s);
          } catch (ActivityFailure d) {
            Workflow.getLogger(OpenSearchRecoveryWorkflowImpl.class).warn(
                "could not remove the scratch of recovery {}: {}", s.runKey(), d.getMessage());
          }
        }
      });
      throw e;
    }
  }

  /** The steps a run expects, for its projected finish. */
  static List<String> planned(String host) {
    List<String> out = new ArrayList<>(List.of("choose-backup"));
    if (host != null) out.add("await-agent");
    out.addAll(List.of("stage", "restore-staged", "swap", "discard-stage"));
    return out;
  }

  @Override
  public String step() {
    return steps.current();
  }
}
