package io.lifeboat.run;

import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every backup kind tells people (issue 22): "started" when the run has its backup id,
 * "finished" at the commit mark with the bytes stored and the time taken, "failed" from the
 * shared failure block ({@link FailedBackup}) with the failed step, the failure kind and its
 * one-line cause. One class, so the kinds' messages cannot drift apart; every message names
 * the kind, the source, the backup id and, where the work ran on one, the host and its agent.
 *
 * <p>The messages are activities, so they are one patch, {@value #CHANGE}, decided once at
 * {@link #start}: runs recorded before it replay with no message at all (and the dump's older
 * failure-only message stays where its histories have it). A run whose config names no channel
 * sends nothing. An operator's cancel is not news (FailedBackup skips the announcement).
 */
public final class BackupNews {
  /** The patch that introduced started/finished/failed messages for every backup kind. */
  public static final String CHANGE = "backup-notifications";
  public static final String EVENT_STARTED = "backup-started";
  public static final String EVENT_FINISHED = "backup-finished";
  /** The same event the dump used before: filters and receivers keyed on it keep working. */
  public static final String EVENT_FAILED = Notification.EVENT_FAILURE;

  private final boolean on;
  private final NotificationTarget target;
  private final String kind;
  private final String label;
  private final String source;
  private final String host;
  private final long startedAt;
  private String backupId;
  private String agents;

  private BackupNews(boolean on, NotificationTarget target, String kind, String label,
      String source, String host, String backupId) {
    this.on = on;
    this.target = target == null ? NotificationTarget.NONE : target;
    this.kind = kind;
    this.label = label;
    this.source = source;
    this.host = host;
    this.backupId = backupId;
    this.startedAt = Workflow.currentTimeMillis();
  }

  /**
   * At the start of a backup: decides the patch and sends "started".
   *
   * @param kind the search attribute's kind ({@code db-base}, {@code app}, {@code redis}...)
   * @param label how a person names the kind: "base backup", "Redis backup"
   * @param source the database, application, estate or files source backed up
   * @param host {@code hosts[].name} the work runs on, or null (the control machine)
   * @param backupId the run's backup id, or null when it is known only later ({@link #id})
   */
  public static BackupNews start(NotificationTarget target, String kind, String label,
      String source, String host, String backupId) {
    boolean on = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    BackupNews news = new BackupNews(on, target, kind, label, source, host, backupId);
    news.send(EVENT_STARTED, news.what() + " started", news.what() + " started"
        + (host == null ? "" : " on " + host), news.details(null));
    return news;
  }

  /** True when this run sends backup messages (the patch is on): the dump's older path is off. */
  public boolean on() {
    return on;
  }

  /** The backup id once known (an application backup's comes from the release it inspects). */
  public BackupNews id(String id) {
    this.backupId = id;
    return this;
  }

  /** The agents that poll the host's queue ({@code agent@HOST/PID}), once the run waited for one. */
  public void agents(java.util.List<String> identities) {
    if (identities != null && !identities.isEmpty()) agents = String.join(", ", identities);
  }

  /** After the commit mark: "finished" with the bytes and the time; {@code note} may be null. */
  public void finished(StepRecorder steps, long storedBytes, long rawBytes, String note) {
    long took = Workflow.currentTimeMillis() - startedAt;
    Map<String, String> d = details(steps);
    d.put("Stored bytes", String.valueOf(storedBytes));
    if (rawBytes > 0) d.put("Raw bytes", String.valueOf(rawBytes));
    d.put("Duration", Projection.duration(took));
    if (note != null) d.put("Note", note);
    send(EVENT_FINISHED, what() + " finished", what() + " " + backupId + " finished in "
        + Projection.duration(took) + ": " + bytes(storedBytes) + " stored"
        + (note == null ? "" : "; " + note), d);
  }

  /** From the failure block ({@link FailedBackup#close}'s announce): "failed" with the cause. */
  public void failed(StepRecorder steps, Throwable e) {
    String step = steps == null || steps.steps().isEmpty() ? "start" : steps.last();
    Map<String, String> failure = RunNotice.failure(e);
    Map<String, String> d = details(steps);
    d.put("Failed step", step);
    d.putAll(failure);
    d.put("Duration", Projection.duration(Workflow.currentTimeMillis() - startedAt));
    send(EVENT_FAILED, what() + " failed", "step " + step + ": " + failure.get("Cause")
        + RunNotice.hint(e), d);
  }

  /** The failure announcement for {@link FailedBackup#close}. */
  public Runnable announce(StepRecorder steps, Throwable e) {
    return () -> failed(steps, e);
  }

  private String what() {
    return label + " of " + source;
  }

  private Map<String, String> details(StepRecorder steps) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("Kind", kind);
    d.put("Source", source);
    if (host != null) d.put("Host", host);
    String agent = agents;
    if (agent == null && steps != null) {
      for (StepTiming t : steps.steps()) {
        if (t.agent() != null) agent = t.agent();
      }
    }
    if (agent != null) d.put("Agent", agent);
    d.put("Backup id", backupId == null ? "not yet chosen" : backupId);
    return d;
  }

  private void send(String event, String subject, String text, Map<String, String> d) {
    if (!on || !target.channels().any()) return;
    Notifier.send(target, new Notification(event, subject, text, d,
        target.link(Workflow.getInfo().getWorkflowId())));
  }

  static String firstLine(String s) {
    if (s == null) return "unknown cause";
    String line = s.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl).strip();
  }

  /** 1234567 → "1.2 MB (1234567 bytes)". */
  static String bytes(long n) {
    if (n < 1024) return n + " bytes";
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], n);
  }
}
