package io.lifeboat.run;

import io.lifeboat.failure.FailureKind;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A one-off message at the end of a run that had none (issue 22: an offsite copy, a backup
 * verification or a restore point that finished), behind its own patch so runs recorded before
 * it replay without the activity. Call from workflow code only; a run whose config names no
 * channel records the marker and sends nothing.
 */
public final class RunNotice {
  private RunNotice() {}

  /** Sends when {@code change} is on for this run (a new run; not one recorded before it). */
  public static void send(String change, NotificationTarget target, String event, String subject,
      String text, Map<String, String> details) {
    if (Workflow.getVersion(change, Workflow.DEFAULT_VERSION, 1) < 1) return;
    if (target == null || !target.channels().any()) return;
    Notifier.send(target, new Notification(event, subject, text, details,
        target.link(Workflow.getInfo().getWorkflowId())));
  }

  /**
   * "Failure kind" (the Lifeboat type, when there is one) and "Cause" (its first line), in that
   * order: the failure fields of every run's message (backups, recoveries, one-off notices).
   */
  public static Map<String, String> failure(Throwable e) {
    Map<String, String> d = new LinkedHashMap<>();
    ApplicationFailure a = applicationFailure(e);
    if (a != null) d.put("Failure kind", a.getType());
    d.put("Cause", BackupNews.firstLine(FailureMessage.of(e)));
    return d;
  }

  /** " (what to do)" from the failure kind's hint, or "" when the failure has no kind. */
  static String hint(Throwable e) {
    ApplicationFailure a = applicationFailure(e);
    return a == null ? "" : FailureKind.ofType(a.getType()).map(k -> " (" + k.hint() + ")")
        .orElse("");
  }

  private static ApplicationFailure applicationFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) return a;
    }
    return null;
  }
}
