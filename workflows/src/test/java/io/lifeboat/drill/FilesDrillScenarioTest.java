package io.lifeboat.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.backup.files.FilesActivities;
import io.lifeboat.backup.files.FilesCheck;
import io.lifeboat.backup.files.FilesManifest;
import io.lifeboat.backup.files.FilesRestoreCheck;
import io.lifeboat.backup.files.FilesRetention;
import io.lifeboat.backup.files.FilesScratchRestore;
import io.lifeboat.backup.files.FilesSnapshot;
import io.lifeboat.backup.files.ResticTarget;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.ActivityPlacement;
import io.lifeboat.host.PlacedFake;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.TestEnvironments;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The files scenario (issue 20) in skipped time: the newest manifest read from anywhere, the
 * restore and comparison on the source's host queue (its agent's fake refuses a method the
 * placement table puts elsewhere; a source without a host on the control worker's queue), the clean-up registered before the restore and run after
 * it, a differing or unreadable generation failing the scenario and data integrity while every
 * source is still restored, the plan and the production refusal; histories replay.
 */
class FilesDrillScenarioTest {
  private static final String ID = "drill-monthly-farmtally-files";
  private static final String MAIN = TaskQueues.DEFAULT;
  private static final String APP1 = TaskQueues.forHost(MAIN, "app1");
  private TestWorkflowEnvironment env;
  private final FakeDrillActivities drill = new FakeDrillActivities();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Files files = new Files();

  @AfterEach
  void close() {
    if (env != null) env.close();
  }

  /** The files activities a drill calls; per source, the verdict its restore gives. */
  final class Files implements FilesActivities {
    final Map<String, FilesRestoreCheck> verdicts = new ConcurrentHashMap<>();
    final List<FilesScratchRestore> restored = new CopyOnWriteArrayList<>();

    private void at(String method) {
      calls.add(method + "@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
    }

    @Override public FilesManifest filesNewestManifest(RepositoryConfig r, String name) {
      at("filesNewestManifest");
      return new FilesManifest(1, "20261121T020000000Z-ab12", "files", name,
          name.equals("uploads") ? "restic" : "rsync", null, List.of("/srv/" + name), List.of(),
          "repo", name.equals("uploads") ? "5f0c2e9a" : "20261121T020000000Z-ab12", 3, 0, 12,
          4096, 100, "2026-11-21T02:00:00Z", "2026-11-21T02:00:09Z", "ok: no errors", List.of(),
          List.of(), "scheduled", "files-backup", "restic 0.14.0");
    }

    @Override public FilesRestoreCheck filesRestoreCompare(FilesScratchRestore request) {
      at("filesRestoreCompare");
      restored.add(request);
      String dir = "/var/tmp/" + request.directoryName();
      return verdicts.getOrDefault(request.files().name(), new FilesRestoreCheck(
          request.snapshotId(), "2026-11-21T02:00:00Z", dir, 12, 3, 1,
          List.of("/srv/" + request.files().name()), 0, List.of(), null, true));
    }

    @Override public String filesRemoveScratch(FilesScratchRestore request) {
      at("filesRemoveScratch");
      return "/var/tmp/" + request.directoryName() + " already removed by the restore step";
    }

    @Override public boolean filesInit(ResticTarget t) {
      throw new UnsupportedOperationException("a drill never writes the repository");
    }

    @Override public FilesSnapshot filesBackup(ResticTarget t) {
      throw new UnsupportedOperationException("a drill never backs up");
    }

    @Override public FilesCheck filesCheck(ResticTarget t) {
      throw new UnsupportedOperationException("a drill restores instead");
    }

    @Override public FilesSnapshot filesSeal(ResticTarget t) {
      throw new UnsupportedOperationException("a drill never seals a generation");
    }

    @Override public FilesRetention filesForget(ResticTarget t) {
      throw new UnsupportedOperationException("a drill never prunes");
    }

    @Override public String filesCommitManifest(ResticTarget t, FilesManifest m) {
      throw new UnsupportedOperationException("a drill never commits a manifest");
    }
  }

  static FilesConfig uploads() {
    return new FilesConfig("uploads", "app1", List.of("/srv/uploads"), List.of(), "restic",
        "PW", null, 5, null, null, null);
  }

  static FilesConfig mirror(String restoreRoot) {
    return new FilesConfig("mirror", null, List.of("/srv/mirror"), List.of(), "rsync", null,
        null, 5, restoreRoot, null, "/mnt/backup/mirror");
  }

  static DrillRequest request(String kind, String scenario, List<FilesConfig> sources) {
    DrillRequest r = DrillWorkflowTest.request(kind, scenario, DrillWorkflowTest.lead());
    return new DrillRequest(r.estate(), r.kind(), r.scenario(), r.databases(), r.applications(),
        r.repository(), r.retry(), r.targets(), r.drills(), r.notification(), r.servers(),
        r.approvals(), null, null, null, null, sources);
  }

  private DrillWorkflow start(DrillRequest request) {
    env = TestEnvironments.withSearchAttributes(Instant.parse("2026-12-01T09:00:00Z"));
    Worker main = env.newWorker(MAIN);
    main.registerWorkflowImplementationTypes(DrillWorkflowImpl.class);
    // The control worker serves every method (a source without a host is restored there, as
    // it is backed up there); app1's agent only the host-bound ones.
    main.registerActivitiesImplementations(drill, PlacedFake.agentsPresent(calls), files);
    env.newWorker(APP1).registerActivitiesImplementations(PlacedFake.serving(
        FilesActivities.class, files, ActivityPlacement.Where.HOST_BOUND,
        new CopyOnWriteArrayList<>()));
    env.start();
    DrillWorkflow wf = env.getWorkflowClient().newWorkflowStub(DrillWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(MAIN).build());
    WorkflowClient.start(wf::drill, request);
    return wf;
  }

  private void approveWhenWaiting(DrillWorkflow wf, String step) {
    for (int i = 0; i < 300; i++) {
      List<WaitingStep> w = wf.waitingSteps();
      if (w.stream().anyMatch(x -> x.step().equals(step))) {
        wf.approve(new ApprovalRequest(step, "ana", "checked", null));
        return;
      }
      env.sleep(Duration.ofSeconds(5));
    }
    throw new AssertionError(step + " never waited; waiting: " + wf.waitingSteps());
  }

  private static String fact(RunReport report, String name) {
    String v = report.facts().get(name);
    if (v == null) throw new AssertionError("no fact " + name + " in " + report.facts());
    return v;
  }

  @Test
  void eachSourceIsRestoredOnItsHostComparedCleanedUpAndTheDrillReplays() throws Exception {
    DrillWorkflow wf = start(request("monthly", "files", List.of(uploads(),
        mirror("/var/tmp/restores"))));
    approveWhenWaiting(wf, DrillWorkflow.START);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "files");
    DrillResult result = WorkflowStub.fromTyped(wf).getResult(DrillResult.class);

    assertEquals("succeeded", result.outcome(), result.toString());
    assertEquals(List.of("files"), result.scenarios());
    for (RunReport.Criterion c : result.criteria()) assertTrue(c.met(), c.toString());
    ScenarioResult s = result.results().get(0);
    assertEquals(ScenarioResult.OK, s.outcome(), s.toString());
    assertTrue(s.integrity(), s.toString());
    assertEquals(30 * 60_000L, s.rtoMillis(), "the database RTO");
    assertEquals("12 files, 3 directories, 1 links of /srv/uploads into /var/tmp/"
        + files.restored.get(0).directoryName() + " (removed)", s.facts().get("uploads: restored"));
    assertTrue(s.facts().get("uploads: backup").startsWith("20261121T020000000Z-ab12 (restic"
        + " 5f0c2e9a"), s.facts().toString());
    assertTrue(s.evidence().get(1).contains("every file's SHA-256"), s.evidence().toString());

    // The manifest from anywhere; restic's source has host app1: restored there, and its
    // clean-up after it on the same host; the rsync source without a host on the main queue.
    assertEquals(List.of("filesNewestManifest@" + MAIN, APP1, "filesRestoreCompare@" + APP1,
        "filesNewestManifest@" + MAIN, "filesRestoreCompare@" + MAIN,
        "filesRemoveScratch@" + MAIN, "filesRemoveScratch@" + APP1), calls);
    assertEquals(List.of("5f0c2e9a", "20261121T020000000Z-ab12"),
        files.restored.stream().map(FilesScratchRestore::snapshotId).toList());
    assertTrue(files.restored.get(0).directoryName().startsWith("lifeboat-drill-files-uploads-"),
        files.restored.get(0).directoryName());

    RunReport last = drill.reports.get(drill.reports.size() - 1);
    assertTrue(fact(last, "files: clean-up").contains("files uploads: scratch directory: "
        + "/var/tmp/lifeboat-drill-files-uploads-"), fact(last, "files: clean-up"));
    assertTrue(fact(last, "files: clean-up").contains("already removed by the restore step"),
        fact(last, "files: clean-up"));
    assertTrue(fact(last, "files: recovery time").contains("of 30m 00s RTO"),
        fact(last, "files: recovery time"));
    assertTrue(last.steps().stream().anyMatch(x -> x.step().equals(
        "files uploads: restore into a scratch directory and compare")), last.steps().toString());

    WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory(ID),
        DrillWorkflowImpl.class);
  }

  @Test
  void aDifferingAndAnUnreadableGenerationFailIntegrityAndEverySourceIsStillRestored() {
    files.verdicts.put("uploads", new FilesRestoreCheck("5f0c2e9a", null, "/var/tmp/x", 0, 0, 0,
        List.of(), 0, List.of(), "restic restore of 5f0c2e9a into /var/tmp/x failed (exit 1):"
            + " There were 1 errors", true));
    files.verdicts.put("mirror", new FilesRestoreCheck("g1", "t", "/var/tmp/y", 12, 3, 1,
        List.of("/srv/mirror"), 2, List.of("/srv/mirror/cow.jpg: content differs from the"
            + " SHA-256 the manifest recorded", "/srv/mirror/x: missing"), null, true));
    DrillWorkflow wf = start(request("monthly", "files", List.of(uploads(), mirror(null))));
    approveWhenWaiting(wf, DrillWorkflow.START);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "files");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(FailureKind.DRILL_FAILED.type(), af.getType());
    String msg = af.getOriginalMessage();
    assertTrue(msg.contains("files uploads: generation 5f0c2e9a did not restore: restic restore")
        && msg.contains("files mirror: 2 differences from generation 20261121T020000000Z-ab12,"
            + " first: /srv/mirror/cow.jpg: content differs"), msg);

    assertEquals(2, files.restored.size(), "the second source restored after the first failed");
    assertEquals(2, calls.stream().filter(c -> c.startsWith("filesRemoveScratch@")).count(),
        calls.toString());
    RunReport last = drill.reports.get(drill.reports.size() - 1);
    RunReport.Criterion integrity = last.criteria().stream()
        .filter(c -> c.name().equals("data integrity")).findFirst().orElseThrow();
    assertFalse(integrity.met(), integrity.toString());
    assertTrue(integrity.detail().contains("mirror: generation 20261121T020000000Z-ab12: 2"
        + " differences"), integrity.detail());
    assertEquals("2, first: /srv/mirror/cow.jpg: content differs from the SHA-256 the manifest"
        + " recorded; /srv/mirror/x: missing", fact(last, "mirror: differences"));
    // Still signed off (the lead acknowledges the failure), still the clean-up recorded.
    assertTrue(last.steps().stream().anyMatch(x -> x.step().equals("files: clean up")),
        last.steps().toString());
  }

  @Test
  void filesRunsWhenNamedAndInAllOnlyWhenConfiguredAndNeverUnderASourcePath() {
    long q4 = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli();
    assertEquals(List.of("database", "application", "full-system"),
        DrillScenarios.plan(request("quarterly", "all", List.of()), q4));
    assertEquals(List.of("database", "application", "full-system", "files"),
        DrillScenarios.plan(request("quarterly", null, List.of(uploads())), q4));
    assertEquals(List.of("files"),
        DrillScenarios.plan(request("monthly", "files", List.of(uploads())), q4));
    assertEquals(List.of("uploads", "mirror"), DrillScenarios.sources(
        request("monthly", "files", List.of(uploads(), mirror(null))), "files"));

    assertEquals(Optional.empty(), DrillTargets.refusal(request("monthly", "files",
        List.of(mirror("/var/tmp/restores"))), List.of("files"), "k"));
    Optional<String> inSource = DrillTargets.refusal(request("monthly", "files",
        List.of(mirror("/srv/mirror/restores/"))), List.of("files"), "k");
    assertTrue(inSource.orElseThrow().contains("files mirror: the drill's scratch directory would"
        + " be under restoreRoot /srv/mirror/restores, inside the source path /srv/mirror"),
        inSource.toString());
    Optional<String> inRepo = DrillTargets.refusal(request("monthly", "files",
        List.of(mirror("/mnt/backup/mirror"))), List.of("files"), "k");
    assertTrue(inRepo.orElseThrow().contains("inside the repository /mnt/backup/mirror"),
        inRepo.toString());
  }

  @Test
  void withoutFilesSourcesTheNamedScenarioFailsWithTheReason() {
    DrillWorkflow wf = start(request("monthly", "files", List.of()));
    approveWhenWaiting(wf, DrillWorkflow.START);
    approveWhenWaiting(wf, DrillWorkflow.SIGN_OFF + "files");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(DrillResult.class));
    assertTrue(e.getCause().getMessage().contains("files: no files sources in the config"),
        e.getCause().getMessage());
    assertEquals(List.of(), files.restored);
  }
}
