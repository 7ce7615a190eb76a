package io.lifeboat.approval;

import static io.lifeboat.run.LifeboatSearchAttributes.WAITING_STEP;

import io.lifeboat.run.StepRecorder;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Human steps inside a workflow: wait until a named person approves, remind them while they
 * do not, and never go on without them (there is no timeout that proceeds). Workflow code
 * only; one instance per workflow run, held in a field so the update and query handlers see it.
 *
 * <p>While a step waits, the search attribute {@code LifeboatWaitingStep} holds its name (names
 * joined by ',' when several wait at once), so the web UI and {@code lifeboat status} list it;
 * it is cleared when nothing waits any more.
 */
public final class HumanGate {
  /** A step name a person can type: it is the CLI argument. */
  public static final Pattern STEP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final int MAX_TEXT = 500;

  private final StepRecorder steps;
  private NotificationTarget notify = NotificationTarget.NONE;
  private String subject = "workflow";
  private final Set<String> approvers = new LinkedHashSet<>();
  private String kind;
  private io.lifeboat.config.ApprovalsConfig rules;
  private final Map<String, WaitingStep> waiting = new LinkedHashMap<>();
  private final Map<String, Approval> approved = new LinkedHashMap<>();

  /** @param steps records each human step's time as waiting time; null records nothing */
  public HumanGate(StepRecorder steps) {
    this.steps = steps;
  }

  /** Where reminders go and what they name ("drill quarterly of farmtally"). */
  public HumanGate notifying(NotificationTarget target, String subject) {
    this.notify = target == null ? NotificationTarget.NONE : target;
    this.subject = subject == null ? "workflow" : subject;
    return this;
  }

  /** Only these people may approve (e.g. the drill lead); empty means anyone who names themself. */
  public HumanGate approvers(java.util.Collection<String> names) {
    approvers.clear();
    if (names != null) names.stream().filter(n -> n != null && !n.isBlank())
        .map(String::strip).forEach(approvers::add);
    return this;
  }

  /**
   * The config's {@code approvals:} for a workflow of {@code kind}: a step's list, else the
   * kind's list, wins over {@link #approvers}; with neither, {@link #approvers} applies.
   */
  public HumanGate rules(String kind, io.lifeboat.config.ApprovalsConfig rules) {
    this.kind = kind;
    this.rules = rules;
    return this;
  }

  /** Who may approve {@code step}; empty: anyone who names themself. */
  public List<String> allowedFor(String step) {
    if (rules != null) {
      List<String> listed = rules.forStep(kind, step);
      if (!listed.isEmpty()) return listed;
    }
    return List.copyOf(approvers);
  }

  /** Waits for an approval of {@code step}; reminds every {@code remindEvery} while it waits. */
  public Approval await(String step, String prompt, Duration remindEvery) {
    return await(step, prompt, remindEvery, false);
  }

  /** As {@link #await}, and the approval must carry a value ({@link Approval#value()}). */
  public Approval awaitValue(String step, String prompt, Duration remindEvery) {
    return await(step, prompt, remindEvery, true);
  }

  private Approval await(String step, String prompt, Duration remindEvery, boolean needsValue) {
    if (!STEP_NAME.matcher(step).matches()) {
      throw new IllegalArgumentException("not a step name: " + step);
    }
    if (approved.containsKey(step) || waiting.containsKey(step)) {
      // A workflow bug, not a person's: each human step is asked for once.
      throw new IllegalStateException("step " + step + " was already asked for");
    }
    if (remindEvery == null || remindEvery.isZero() || remindEvery.isNegative()) {
      remindEvery = Duration.ofMinutes(30);
    }
    Duration every = remindEvery;
    java.util.function.Supplier<Approval> body = () -> waitFor(step, prompt, every, needsValue);
    return steps == null ? body.get() : steps.human(step, body);
  }

  private Approval waitFor(String step, String prompt, Duration every, boolean needsValue) {
    long since = Workflow.currentTimeMillis();
    waiting.put(step, new WaitingStep(step, prompt, since, 0, needsValue));
    publish();
    try {
      notifyWaiting(step, prompt, 0);
      while (!Workflow.await(every, () -> approved.containsKey(step))) {
        WaitingStep w = waiting.get(step);
        WaitingStep again = new WaitingStep(step, prompt, since, w.reminders() + 1, needsValue);
        waiting.put(step, again);
        notifyWaiting(step, prompt, again.reminders());
      }
      return approved.get(step);
    } finally {
      // Also on cancellation: a cancelled run must not stay listed as waiting.
      waiting.remove(step);
      publish();
    }
  }

  /** The update validator's rule: throws with one line, and nothing is recorded. */
  public void validate(ApprovalRequest request) {
    if (request == null || request.step() == null || request.step().isBlank()) {
      throw new IllegalArgumentException("name the step to approve; waiting: " + waitingNames());
    }
    String step = request.step();
    if (request.by() == null || request.by().isBlank()) {
      throw new IllegalArgumentException("name the approver (--by NAME)");
    }
    if (request.by().strip().length() > 100 || request.by().contains("\n")) {
      throw new IllegalArgumentException("the approver is a name: one line, at most 100 characters");
    }
    if (tooLong(request.reason()) || tooLong(request.value())) {
      throw new IllegalArgumentException("--reason and --value take one line of at most "
          + MAX_TEXT + " characters");
    }
    Approval done = approved.get(step);
    if (done != null) {
      throw new IllegalArgumentException("step " + step + " was already approved by " + done.by()
          + "; nothing changed");
    }
    WaitingStep w = waiting.get(step);
    if (w == null) {
      throw new IllegalArgumentException("step " + step + " is not waiting for approval (waiting: "
          + waitingNames() + "); nothing changed");
    }
    List<String> allowed = allowedFor(step);
    if (!allowed.isEmpty() && !allowed.contains(request.by().strip())) {
      throw new IllegalArgumentException(request.by().strip() + " may not approve " + step
          + "; approvers: " + String.join(", ", allowed));
    }
    if (w.valueRequired() && (request.value() == null || request.value().isBlank())) {
      throw new IllegalArgumentException("step " + step + " needs a value (--value): " + w.prompt());
    }
  }

  /** The update handler: records the approval; the waiting step then goes on. */
  public Approval approve(ApprovalRequest request) {
    // Validators do not run on replay and cannot see a concurrent approval: check again here.
    validate(request);
    WaitingStep w = waiting.get(request.step());
    Approval a = new Approval(request.step(), request.by().strip(), blankToNull(request.reason()),
        blankToNull(request.value()), w.sinceMillis(), Workflow.currentTimeMillis(), w.reminders());
    approved.put(request.step(), a);
    return a;
  }

  public List<WaitingStep> waitingSteps() {
    return List.copyOf(waiting.values());
  }

  /** Approvals in the order they were given. */
  public List<Approval> approvals() {
    return List.copyOf(approved.values());
  }

  private void publish() {
    if (waiting.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(WAITING_STEP.valueUnset());
    } else {
      Workflow.upsertTypedSearchAttributes(WAITING_STEP.valueSet(String.join(",", waiting.keySet())));
    }
  }

  private void notifyWaiting(String step, String prompt, int reminder) {
    String id = Workflow.getInfo().getWorkflowId();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("workflow", id);
    details.put("step", step);
    details.put("approve with", "lifeboat approve " + id + " " + step + " --by NAME");
    List<String> allowed = allowedFor(step);
    if (!allowed.isEmpty()) details.put("approvers", String.join(", ", allowed));
    if (reminder > 0) details.put("reminder", String.valueOf(reminder));
    Notifier.send(notify, new Notification(Notification.EVENT_HUMAN_STEP_WAITING,
        (reminder > 0 ? "reminder " + reminder + ": " : "") + subject + " waits for " + step,
        prompt, details, notify.link(id)));
  }

  private String waitingNames() {
    return waiting.isEmpty() ? "none" : String.join(", ", waiting.keySet());
  }

  private static boolean tooLong(String s) {
    return s != null && (s.length() > MAX_TEXT || s.contains("\n"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Steps in the order they were approved; for "every step approved, in order" checks. */
  public List<String> approvedOrder() {
    return new ArrayList<>(approved.keySet());
  }
}
