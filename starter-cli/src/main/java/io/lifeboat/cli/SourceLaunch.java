package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Starts and follows the backup or the recovery of one source of a kind other than
 * PostgreSQL (redis, mariadb, opensearch: issue 19): the same workflow options, refusal,
 * started/following lines and wait for every kind, so the verbs differ only in their request
 * and their summary.
 */
public final class SourceLaunch {
  private SourceLaunch() {}

  /** What is run: its noun in "a backup of redis cache" and its verb in "backing up ...". */
  public enum Run {
    BACKUP("backup", "backing up"), RECOVERY("recovery", "recovering");

    final String noun;
    final String verbing;

    Run(String noun, String verbing) {
      this.noun = noun;
      this.verbing = verbing;
    }
  }

  /** The control queue and the run's kind (a search attribute the web UI filters on). */
  public static WorkflowOptions.Builder options(LifeboatConfig c, String kind) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(LifeboatSearchAttributes.KIND, kind).build());
  }

  /**
   * How a recovery of this kind is timed: the config's RTO, estate and offsite, and the step
   * durations of the previous successful run under {@code workflowId} (from its stored report).
   */
  public static io.lifeboat.run.RecoveryTiming timing(Session s, String reportKind,
      String workflowId) {
    return io.lifeboat.run.RecoveryTiming.of(s.config(),
        PreviousRun.stepMillis(s, reportKind, workflowId));
  }

  /** The summary's report line, when the run stored one. */
  public static void reportLine(PrintWriter out, String report, String workflowId) {
    if (report != null) out.println("  report: lifeboat report " + workflowId);
  }

  /**
   * Starts the workflow (refused in one line when one with its id is running), prints the
   * started line, and with --wait follows its "step" query and prints the summary.
   *
   * @param source the kind and name as the lines say it, e.g. "mariadb billing"
   * @param start starts the typed stub, e.g. {@code wf -> WorkflowClient.start(wf::backup, r)}
   * @param summary prints the result and the web UI link
   * @return the exit code
   */
  public static <W, R> int run(Session s, LaunchOptions flags, PrintWriter out, String workflowId,
      Run run, String source, Class<W> type, String kind, Consumer<W> start, Class<R> resultType,
      BiConsumer<R, String> summary) {
    WorkflowClient client = s.temporal().client();
    WorkflowLaunch launch = new WorkflowLaunch(s, flags, out, workflowId);
    String id = launch.workflowId();
    W wf = client.newWorkflowStub(type, launch.options(options(s.config(), kind)));
    return launch
        .start(() -> start.accept(wf),
            "a " + run.noun + " of " + source + " is already running (" + id + ")")
        .startedLine("started " + run.noun + " of " + source + ": " + id + "\n  " + launch.link())
        .followingLine(run.verbing + " " + source + " (" + id + ")")
        .followAndPrint(show -> AppWait.await(client, id, resultType, out, show,
                run.noun + " of " + source, stub -> stub.query("step", String.class)),
            (res, link) -> summary.accept(res, link));
  }
}
