package io.lifeboat.run;

import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * "started", "finished" and "failed" for the recoveries that have no RTO clock or status
 * cadence (Redis, MariaDB, OpenSearch; issue 22). Events are {@link RunNews}'s, so a receiver
 * keyed on {@code run-started}/{@code run-finished}/{@code failure} sees every recovery kind.
 *
 * <p>The messages are activities, so they are one patch, {@value #CHANGE}, decided once at
 * {@link #start} (before any other command of the run's body): a run recorded before it replays
 * with no message. A run whose config names no channel sends nothing; an operator's cancel is
 * not news. Call from workflow code only.
 */
public final class RecoveryNotice {
  /** The patch that introduced these recoveries' messages. */
  public static final String CHANGE = "recovery-notifications";

  private final boolean on;
  private final NotificationTarget target;
  private final String kind;
  private final String what;
  private final String source;
  private final long startedAt;
  private String backupId;

  private RecoveryNotice(boolean on, NotificationTarget target, String kind, String what,
      String source) {
    this.on = on;
    this.target = target == null ? NotificationTarget.NONE : target;
    this.kind = kind;
    this.what = what;
    this.source = source;
    this.startedAt = Workflow.currentTimeMillis();
  }

  /**
   * At the start of a recovery: decides the patch and sends "started".
   *
   * @param kind the run's {@code LifeboatKind} ({@code redis-recovery}...)
   * @param label how a person names it: "Redis recovery"
   * @param backupId the backup asked for, or null (the newest: known after choose-backup)
   */
  public static RecoveryNotice start(NotificationTarget target, String kind, String label,
      String source, String backupId) {
    boolean on = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    RecoveryNotice n = new RecoveryNotice(on, target, kind, label + " of " + source, source);
    n.backupId = backupId;
    n.send(RunNews.EVENT_STARTED, n.what + " started", n.what + " started from backup "
        + (backupId == null ? "(the newest)" : backupId), n.details());
    return n;
  }

  /** The backup once chosen. */
  public RecoveryNotice backup(String id) {
    this.backupId = id;
    return this;
  }

  /** At the end: "finished" with the backup restored, the time taken and {@code summary}. */
  public void finished(String summary) {
    Map<String, String> d = details();
    d.put("Duration", Projection.duration(Workflow.currentTimeMillis() - startedAt));
    send(RunNews.EVENT_FINISHED, what + " finished", what + " finished in " + d.get("Duration")
        + " from backup " + backupId + (summary == null ? "" : ": " + summary), d);
  }

  /** From the failure block: "failed" with the step, the failure kind and the cause's first line. */
  public void failed(StepRecorder steps, Throwable e) {
    if (!on || FailedBackup.cancelled(e)) return;
    String step = steps.last();
    Map<String, String> failure = RunNotice.failure(e);
    Map<String, String> d = details();
    d.put("Failed step", step);
    d.putAll(failure);
    d.put("Duration", Projection.duration(Workflow.currentTimeMillis() - startedAt));
    Workflow.newDetachedCancellationScope(() -> send(RunNews.EVENT_FAILED, what + " failed",
        "step " + step + ": " + failure.get("Cause") + RunNotice.hint(e), d)).run();
  }

  private Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("Kind", kind);
    d.put("Source", source);
    d.put("Backup id", backupId == null ? "not yet chosen" : backupId);
    return d;
  }

  private void send(String event, String subject, String text, Map<String, String> details) {
    if (!on || !target.channels().any()) return;
    Notifier.send(target, new Notification(event, subject, text, details,
        target.link(Workflow.getInfo().getWorkflowId())));
  }
}
