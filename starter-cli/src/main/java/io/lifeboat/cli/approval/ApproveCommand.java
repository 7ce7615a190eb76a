package io.lifeboat.cli.approval;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lifeboat.approval.Approvable;
import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Approves a human step of a running recovery or drill. The workflow's update validator has
 * the last word (the step must be waiting, the approver allowed); a refusal is printed as one
 * line with exit 2 and changes nothing, since a rejected update leaves no trace.
 */
@Command(name = "approve", description = "Approve a step that waits for a person"
    + " (a drill's sign-off, a provisioning step).")
public final class ApproveCommand implements Callable<Integer> {
  static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the waiting workflow")
  String workflowId;

  @Parameters(index = "1", paramLabel = "STEP",
      description = "the waiting step (lifeboat status lists them)")
  String step;

  @Option(names = "--by", paramLabel = "NAME", required = true, description = "who approves")
  String by;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why, for the report")
  String reason;

  @Option(names = "--value", paramLabel = "TEXT",
      description = "data the step asks for (e.g. the new host's address)")
  String value;

  @Option(names = "--json", description = "print the approval as JSON")
  boolean json;

  @Override
  public Integer call() {
    if (!WORKFLOW_ID.matcher(workflowId).matches()) {
      throw new UserError("not a workflow id: '" + workflowId
          + "' (letters, digits, '.', '_', ':' and '-' only; a scheduled run's id ends in its time)");
    }
    if (!HumanGate.STEP_NAME.matcher(step).matches()) {
      throw new UserError("not a step name: '" + step + "' (lower-case letters, digits, '.', '_',"
          + " '-'; lifeboat status lists the waiting steps)");
    }
    if (by.isBlank()) throw new UserError("--by needs the approver's name");
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      WorkflowClient client = s.temporal().client();
      WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
      requireRunning(stub);
      Approval a;
      try {
        a = stub.update(Approvable.UPDATE_NAME, Approval.class,
            new ApprovalRequest(step, by, reason, value));
      } catch (WorkflowUpdateException e) {
        throw new UserError(workflowId + ": " + rejection(e));
      } catch (WorkflowNotFoundException e) {
        throw new UserError("workflow " + workflowId + " is not running any more");
      }
      if (json) {
        out.println(Json.write(Map.of("workflowId", workflowId, "approval", a)));
      } else {
        out.println("approved " + a.step() + " of " + workflowId + " by " + a.by() + " after "
            + Bytes.duration(a.waitedMillis()) + " waiting"
            + (a.reminders() > 0 ? " (" + a.reminders() + " reminders)" : ""));
      }
      return 0;
    }
  }

  /** Unknown and finished workflows are bad input, said before anything is sent. */
  private void requireRunning(WorkflowStub stub) {
    WorkflowExecutionDescription d;
    try {
      d = stub.describe();
    } catch (WorkflowNotFoundException e) {
      throw unknown();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) throw unknown();
      throw e;
    } catch (RuntimeException e) {
      StatusRuntimeException grpc = grpc(e);
      if (grpc != null && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) throw unknown();
      throw e;
    }
    WorkflowExecutionStatus status = d.getStatus();
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw new UserError("workflow " + workflowId + " is not running ("
          + status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase()
          + "); nothing to approve");
    }
  }

  private UserError unknown() {
    return new UserError("no workflow '" + workflowId + "' in Temporal (lifeboat status lists"
        + " the ones waiting for approval)");
  }

  private static StatusRuntimeException grpc(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StatusRuntimeException s) return s;
    }
    return null;
  }

  /** The validator's one line; an update unknown to the workflow means it has no human steps. */
  static String rejection(WorkflowUpdateException e) {
    Throwable c = e;
    String last = e.getMessage();
    while (c != null) {
      if (c instanceof ApplicationFailure af) last = af.getOriginalMessage();
      c = c.getCause() == c ? null : c.getCause();
    }
    if (last != null && last.toLowerCase(java.util.Locale.ROOT).contains("unknown update")) {
      return "this workflow has no steps to approve";
    }
    return last == null ? "approval refused" : last.lines().findFirst().orElse(last);
  }
}
