package io.lifeboat.repository;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.drill.DrillWorkflowImpl;
import io.lifeboat.recover.server.ServerRecoveryWorkflowImpl;
import io.lifeboat.verify.BackupVerificationWorkflowImpl;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs recorded before {@value RunKeys#CHANGE_ID} keep the names they were started with: on
 * replay, the workflow code must pass its activities the same scratch databases, scratch
 * directories and staging keys (built from the first 8 characters of the run id) that the
 * history recorded. Replay alone does not compare activity inputs, so this test does: it
 * captures what the replayed code schedules and looks for every recorded name in it.
 */
class RecordedRunKeysReplayTest {
  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");
  /** Scratch databases, the drill's scratch app root, the release staging key. */
  private static final Pattern NAMES = Pattern.compile(
      "lifeboat_(?:verify|drill)_[a-z0-9_]+|\"root\":\"[^\"]*\"|\"runKey\":\"[^\"]*\"");

  /** The run id every replayed workflow sees (WorkflowReplayer's placeholder). */
  private static final String REPLAY_RUN_ID = "run_id_in_replay";

  private static final Set<String> replayed = new ConcurrentSkipListSet<>();

  @TestFactory
  Stream<DynamicTest> recordedRunsComputeTheNamesTheyRecorded() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Stream.of("drill", "verification", "server")
        .flatMap(d -> list(HISTORIES.resolve(d)))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      WorkflowExecutionHistory history =
          WorkflowExecutionHistory.fromJson(Files.readString(f, StandardCharsets.UTF_8));
      String runId = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getOriginalExecutionRunId();
      Set<String> recorded = new TreeSet<>();
      for (HistoryEvent e : history.getEvents()) {
        if (e.hasActivityTaskScheduledEventAttributes()) {
          for (Payload p : e.getActivityTaskScheduledEventAttributes().getInput()
              .getPayloadsList()) {
            collect(p.getData().toStringUtf8(), recorded);
          }
        }
      }
      replayed.clear();
      replay(history);
      // The replayer runs every history under the run id "run_id_in_replay": put the recorded
      // run id back where the code used it (whole, or its first 8 characters, the old key). Had
      // the replay taken the new key, it would end in "inreplay" and not be found.
      Set<String> computed = new TreeSet<>();
      for (String name : replayed) {
        computed.add(name.replace("runidinreplay", runId)
            .replace(RunKeys.legacyPrefix(REPLAY_RUN_ID), RunKeys.legacyPrefix(runId)));
      }
      assertTrue(computed.containsAll(recorded), f + ": recorded " + recorded
          + ", the replayed code computed " + replayed);
    }));
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir).toList().stream();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void collect(String json, Set<String> into) {
    Matcher m = NAMES.matcher(json);
    while (m.find()) into.add(m.group());
  }

  private static void replay(WorkflowExecutionHistory history) throws Exception {
    WorkerFactoryOptions factory = WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(new WorkerInterceptorBase() {
          @Override
          public WorkflowInboundCallsInterceptor interceptWorkflow(
              WorkflowInboundCallsInterceptor next) {
            return new WorkflowInboundCallsInterceptorBase(next) {
              @Override
              public void init(WorkflowOutboundCallsInterceptor outbound) {
                super.init(new Capture(outbound));
              }
            };
          }
        }).build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setWorkerFactoryOptions(factory).build())) {
      // A loaded machine can stall a workflow thread past the SDK's 1 s deadlock detector
      // (seen at load 20): the replay checks commands, not speed.
      Worker worker = env.newWorker("replay-run-keys", io.temporal.worker.WorkerOptions.newBuilder()
          .setDefaultDeadlockDetectionTimeout(60_000).build());
      worker.registerWorkflowImplementationTypes(DrillWorkflowImpl.class,
          BackupVerificationWorkflowImpl.class, ServerRecoveryWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  /** Records what every scheduled activity is given, as the data converter writes it. */
  private static final class Capture extends WorkflowOutboundCallsInterceptorBase {
    Capture(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      for (Object arg : input.getArgs()) {
        DefaultDataConverter.STANDARD_INSTANCE.toPayload(arg)
            .ifPresent(p -> collect(p.getData().toStringUtf8(), replayed));
      }
      return super.executeActivity(input);
    }
  }
}
