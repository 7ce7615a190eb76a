package io.lifeboat.cli.approval;

import io.lifeboat.approval.Approvable;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Running workflows with a step waiting for a person. Found by the LifeboatWaitingStep search
 * attribute (what the web UI filters on), then asked by query for the prompt and the wait so far.
 * {@code ./lifeboat status} prints this under the stack's table.
 */
@Command(name = "waiting", description = "List running workflows whose steps wait for approval.")
public final class WaitingCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--json", description = "print the list as JSON")
  boolean json;

  record Waiting(String workflowId, String type, WaitingStep step, String webUi) {}

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      WorkflowClient client = s.temporal().client();
      List<Waiting> rows = new ArrayList<>();
      List<WorkflowExecutionMetadata> running;
      try {
        running = client.listExecutions("ExecutionStatus = 'Running' AND "
            + LifeboatSearchAttributes.WAITING_STEP.getName() + " IS NOT NULL").toList();
      } catch (io.grpc.StatusRuntimeException e) {
        // A visibility store without IS NOT NULL refuses the query: filter here instead. Any
        // other failure (Temporal unreachable) is not that, and goes to its exit code.
        if (e.getStatus().getCode() != io.grpc.Status.Code.INVALID_ARGUMENT) throw e;
        running = client.listExecutions("ExecutionStatus = 'Running'").toList();
      }
      for (WorkflowExecutionMetadata m : running) {
        String attr = m.getTypedSearchAttributes().get(LifeboatSearchAttributes.WAITING_STEP);
        if (attr == null || attr.isBlank()) continue;
        for (WaitingStep w : steps(client, m, attr)) {
          rows.add(new Waiting(m.getExecution().getWorkflowId(), m.getWorkflowType(), w,
              s.temporal().webLink(m.getExecution().getWorkflowId())));
        }
      }
      if (json) {
        out.println(Json.write(Map.of("waiting", rows)));
        return 0;
      }
      if (rows.isEmpty()) {
        out.println("no step waits for approval");
        return 0;
      }
      out.printf("%-44s %-22s %-10s %s%n", "WAITING WORKFLOW", "STEP", "FOR", "PROMPT");
      long now = System.currentTimeMillis();
      for (Waiting w : rows) {
        String since = w.step().sinceMillis() > 0
            ? Bytes.duration(Math.max(0, now - w.step().sinceMillis())) : "?";
        out.printf("%-44s %-22s %-10s %s%n", w.workflowId(), w.step().step(),
            since + (w.step().reminders() > 0 ? " r" + w.step().reminders() : ""),
            w.step().prompt() == null ? "" : abbreviate(w.step().prompt()));
      }
      out.println("approve with: lifeboat approve WORKFLOW_ID STEP --by NAME [--reason TEXT]");
      return 0;
    }
  }

  private static String abbreviate(String prompt) {
    return prompt.length() > 110 ? prompt.substring(0, 110) + "…" : prompt;
  }

  /** The workflow's own list; when it cannot answer (no worker), the attribute's names. */
  private static List<WaitingStep> steps(WorkflowClient client, WorkflowExecutionMetadata m,
      String attr) {
    try {
      WaitingStep[] steps = client.newUntypedWorkflowStub(m.getExecution().getWorkflowId())
          .query(Approvable.QUERY_WAITING, WaitingStep[].class);
      if (steps.length > 0) return List.of(steps);
    } catch (RuntimeException noAnswer) {
      // A payload this config cannot read is the config's fault, not a missing worker: say so.
      if (ExitCodes.payloadKeyProblem(noAnswer)) throw noAnswer;
      // a query needs a worker; the attribute alone still says what waits
    }
    Map<String, WaitingStep> byName = new LinkedHashMap<>();
    for (String name : attr.split(",")) {
      // issue 17: a host-bound step waits for its host's agent, not for a person.
      String prompt = name.startsWith("agent:")
          ? "no agent polls host " + name.substring(6) + "'s queue: start `lifeboat agent --host "
              + name.substring(6) + "` there"
          : "(no worker answered the query)";
      byName.put(name, new WaitingStep(name, prompt, 0, 0, false));
    }
    return List.copyOf(byName.values());
  }
}
