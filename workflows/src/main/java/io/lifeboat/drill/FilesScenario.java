package io.lifeboat.drill;

import io.lifeboat.backup.files.FilesActivities;
import io.lifeboat.backup.files.FilesManifest;
import io.lifeboat.backup.files.FilesRestoreCheck;
import io.lifeboat.backup.files.FilesScratchRestore;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.host.HostRouting;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files scenario (issue 20): for each configured files source, the newest committed
 * generation whose check passed (its manifest in {@code PREFIX/files-manifests/NAME/}) is
 * restored on the source's host (its agent, as the backup's steps are routed) into a scratch
 * directory and compared with what the engine recorded by the code {@code restore files} uses:
 * every entry, its type, size and permission bits, link targets, SHA-256 where the engine
 * records one, nothing extra. The restore step removes the directory itself, also when the
 * restore or the comparison fails; the clean-up registered before it removes what a killed
 * attempt may have left and records which happened. The source's paths are only read.
 *
 * <p>Every source is restored even when an earlier one differed, so the report names each
 * damaged one; a source whose steps fail (no committed backup, no agent, a config error) ends
 * the scenario there, as the engine scenarios do.
 */
final class FilesScenario {
  /** Workflow.getVersion id around the commands of this scenario (none in older drills). */
  static final String CHANGE = "drill-files-scenario";

  private FilesScenario() {}

  /** Where the scratch directory goes, for the start approval's list of targets. */
  static String scratchDescription(DrillRequest r, String name, String scratchKey) {
    FilesConfig f = r.files().stream().filter(x -> x.name().equals(name)).findFirst()
        .orElseThrow();
    return "a scratch directory " + new FilesScratchRestore(f, r.repository(), "", scratchKey)
        .directoryName() + " under " + (f.restoreRoot() != null ? f.restoreRoot()
            : "the temp directory") + " of " + (f.host() != null ? "host " + f.host()
                : "the control worker");
  }

  static ScenarioResult run(DrillRequest r, StepRecorder steps, String scratchKey,
      Compensation comp) {
    Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
    String kind = DrillScenarios.FILES;
    long rto = DrillScenarios.rtoMillis(r, kind);
    int first = steps.steps().size();
    Map<String, String> facts = new LinkedHashMap<>();
    List<String> evidence = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    try {
      if (r.files().isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("no files sources in the config",
            FailureKind.CONFIG_INVALID.type());
      }
      FilesActivities quick = ActivityStubs.of(FilesActivities.class, r.retry(),
          Duration.ofMinutes(10), null);
      for (FilesConfig f : r.files()) {
        String why = source(r, steps, scratchKey, comp, f, quick, facts, evidence);
        if (why != null) damaged.add(why);
      }
    } catch (ActivityFailure | ApplicationFailure e) {
      if (e.getCause() instanceof CanceledFailure) throw e;
      return new ScenarioResult(kind, ScenarioResult.FAILED, FailureMessage.of(e),
          DatabaseScenario.machine(steps, first), rto, false, evidence, facts);
    }
    long machine = DatabaseScenario.machine(steps, first);
    if (!damaged.isEmpty()) {
      return new ScenarioResult(kind, ScenarioResult.FAILED, String.join("; ", damaged),
          machine, rto, false, evidence, facts);
    }
    return new ScenarioResult(kind, ScenarioResult.OK, "restored " + r.files().size()
        + " files source(s) into scratch directories and compared", machine, rto, true,
        evidence, facts);
  }

  /** One source: its facts and evidence recorded; null when identical, else why not. */
  private static String source(DrillRequest r, StepRecorder steps, String scratchKey,
      Compensation comp, FilesConfig f, FilesActivities quick, Map<String, String> facts,
      List<String> evidence) {
    String n = f.name();
    FilesManifest m = steps.run("files " + n + ": newest backup",
        () -> quick.filesNewestManifest(r.repository(), n));
    facts.put(n + ": backup", m.backupId() + " (" + f.engine() + " " + m.snapshotId()
        + ", finished " + m.finishedAt() + "; " + m.verification() + ")");
    if (f.host() != null) {
      steps.run("files " + n + ": agent", () -> HostRouting.awaitAgent(f.host(), r.retry()));
    }
    String queue = HostRouting.queueFor(f.host());
    FilesActivities onHost = ActivityStubs.of(FilesActivities.class, r.retry(),
        Duration.ofHours(6), Duration.ofSeconds(60), queue);
    FilesActivities onHostQuick = ActivityStubs.of(FilesActivities.class, r.retry(),
        Duration.ofMinutes(10), Duration.ofSeconds(60), queue);
    FilesScratchRestore req = new FilesScratchRestore(f, r.repository(), m.snapshotId(),
        scratchKey);
    // Registered before the directory exists: a restore killed with its worker leaves it, and
    // this removes it on the host; after a normal restore it finds it gone and says so.
    comp.add("files " + n + ": scratch directory", () -> onHostQuick.filesRemoveScratch(req));
    FilesRestoreCheck v = steps.run("files " + n + ": restore into a scratch directory and"
        + " compare", () -> onHost.filesRestoreCompare(req));
    String where = v.directory() + " (" + (v.scratchRemoved() ? "removed" : "NOT removed")
        + ")";
    if (v.failure() != null) {
      facts.put(n + ": restored", "no: " + v.failure() + "; scratch " + where);
      evidence.add(n + ": " + f.engine() + " could not restore generation " + m.snapshotId()
          + " FAILED: " + v.failure());
      return "files " + n + ": generation " + m.snapshotId() + " did not restore: "
          + v.failure();
    }
    facts.put(n + ": restored", v.files() + " files, " + v.directories() + " directories, "
        + v.links() + " links of " + String.join(", ", v.paths()) + " into " + where);
    String compared = "every entry's type, size, mode and link target" + switch (f.engine()) {
      case FilesConfig.RSYNC, FilesConfig.DUPLICITY -> " and every file's SHA-256 recorded at"
          + " backup";
      case FilesConfig.BORG -> " (borg authenticated every chunk it extracted)";
      default -> " (restic restore --verify read every file back)";
    };
    if (v.ok()) {
      evidence.add(n + ": generation " + m.snapshotId() + " identical to its listing: "
          + compared);
      return null;
    }
    facts.put(n + ": differences", v.differenceCount() + ", first: "
        + String.join("; ", v.differences()));
    evidence.add(n + ": generation " + m.snapshotId() + ": " + v.differenceCount()
        + " differences from its listing (" + compared + ") FAILED");
    return "files " + n + ": " + v.differenceCount() + " differences from generation "
        + m.snapshotId() + ", first: " + (v.differences().isEmpty() ? "?"
            : v.differences().get(0));
  }
}
