package io.lifeboat.recover.mariadb;

import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.backup.mariadb.MariaDbTable;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.StepRecorder;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The physical branch of {@link MariaDbRecoveryWorkflowImpl} (workflow code): the copy prepared
 * in a new directory beside the data directory, binlogs replayed into it on a scratch server,
 * then the swap, the damaged directory kept, and the live server checked against the copy.
 */
final class MariaDbPhysicalRecovery {
  /** Recovery from physical backups came later: recorded runs never took this branch. */
  static final String CHANGE = "mariadb-physical-recovery";

  private MariaDbPhysicalRecovery() {}

  static MariaDbRecoveryResult run(MariaDbRecoveryRequest request, MariaDbManifest m,
      MariaDbReplayPlan plan, StepRecorder steps) {
    Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
    String name = request.mariadb().name();
    if (request.mariadb().dataDir() == null) {
      throw FailureKind.CONFIG_INVALID.failure("mariadb backup " + m.backupId() + " of " + name
          + " is physical (mariadb-backup): recovering it needs mariadb[].dataDir in the config"
          + " (or recover a logical backup with --backup ID)");
    }
    String host = request.mariadb().host();
    MariaDbPhysicalRecoveryActivities onHost = ActivityStubs.of(
        MariaDbPhysicalRecoveryActivities.class, request.retry(), Duration.ofHours(6),
        Duration.ofSeconds(60), HostRouting.queueFor(host));
    if (host != null) {
      steps.run("await-agent", () -> HostRouting.awaitAgent(host, request.retry()));
    }
    MariaDbPhysicalRestoreRequest r = new MariaDbPhysicalRestoreRequest(request.mariadb(),
        request.repository(), m, Workflow.getInfo().getRunId().replace("-", "")
            .substring(0, 12), Workflow.currentTimeMillis(), request.targetMillis());
    steps.run("restore-dir", () -> onHost.mariadbPhysicalRestoreDir(r));
    List<MariaDbTable> copy = steps.run(plan == null ? "check-copy" : "replay-binlogs",
        () -> onHost.mariadbPhysicalPrepareCopy(r, plan));
    String kept = steps.run("swap-and-start", () -> onHost.mariadbPhysicalSwapAndStart(r));
    int tables = steps.run("validate", () -> onHost.mariadbPhysicalValidate(r, copy));
    return new MariaDbRecoveryResult(name, m.backupId(), tables,
        Map.of(request.mariadb().dataDir(), kept), plan, steps.steps());
  }
}
