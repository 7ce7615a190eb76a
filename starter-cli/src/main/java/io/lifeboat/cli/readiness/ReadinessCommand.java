package io.lifeboat.cli.readiness;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.readiness.ReadinessActivitiesImpl;
import io.lifeboat.readiness.ReadinessFinding;
import io.lifeboat.readiness.ReadinessReport;
import io.lifeboat.readiness.ReadinessWorkflow;
import io.lifeboat.run.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lifeboat readiness}: runs the readiness workflow now (the scheduled one's checks) and
 * prints one line per recovery path and check; {@code --last} prints the last stored run from
 * the repository without Temporal ({@code lifeboat status} shows it so).
 */
@Command(name = "readiness", description = "Check every recovery path now (agents, keys, base"
    + " backup and WAL in each repository, the offsite recovery point, DNS, ACME) and print"
    + " the findings. Exit 1 when a path has a problem.")
public final class ReadinessCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Option(names = "--last", description = "print the last stored run (reports/readiness/"
      + "latest.json in the repository) instead of running the checks; no Temporal needed")
  boolean last;

  @Option(names = "--task-queue", hidden = true)
  String taskQueue;

  /** The options a run starts with, by hand and by schedule. */
  public static WorkflowOptions.Builder options(LifeboatConfig c, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(KIND, ReadinessWorkflow.SEARCH_KIND).build());
  }

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      ReadinessReport r;
      if (last) {
        r = ReadinessActivitiesImpl.latest(s.repository(), c.repository());
        if (r == null) {
          if (json) {
            out.println("null");
          } else {
            out.println("readiness: no run stored yet (lifeboat readiness runs one; the"
                + " schedule " + ReadinessWorkflow.workflowId(c.estate()) + " runs every "
                + c.readiness().everyMinutes() + " min after `lifeboat schedules apply`)");
          }
          return 0;
        }
      } else {
        WorkflowClient client = s.temporal().client();
        String workflowId = WorkflowIds.manual(ReadinessWorkflow.workflowId(c.estate()));
        var options = options(c, workflowId)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setWorkflowIdConflictPolicy(
                WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
        if (taskQueue != null) options.setTaskQueue(taskQueue);
        ReadinessWorkflow wf = client.newWorkflowStub(ReadinessWorkflow.class, options.build());
        try {
          WorkflowClient.start(wf::check, ReadinessWorkflow.request(c));
        } catch (WorkflowExecutionAlreadyStarted e) {
          // a run is going on: its answer is this one
        }
        r = WorkflowWait.await(client, workflowId, ReadinessReport.class, out, false,
            "readiness check");
      }
      if (json) {
        out.println(Json.write(r));
      } else {
        print(out, r);
      }
      return r.ready() ? 0 : ExitCodes.FAILED;
    }
  }

  /** One line per path and check; status prints this too. */
  public static void print(PrintWriter out, ReadinessReport r) {
    out.printf("recovery readiness of %s, checked %s: %s%n", r.estate(),
        Instant.ofEpochMilli(r.checkedAtMillis()), r.ready() ? "every path ready"
            : r.problems().size() + " problem(s)");
    for (ReadinessFinding f : r.findings()) {
      out.printf("  %-7s %-34s %-6s %s%n", f.ok() ? "ok" : "PROBLEM", f.path(), f.check(),
          f.detail());
    }
  }
}
