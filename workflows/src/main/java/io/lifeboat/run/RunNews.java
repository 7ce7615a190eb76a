package io.lifeboat.run;

import static io.lifeboat.run.LifeboatSearchAttributes.RTO_AT_RISK;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_ON_TRACK;

import io.lifeboat.notify.Notification;
import io.lifeboat.notify.NotificationTarget;
import io.lifeboat.notify.Notifier;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a recovery or rollback tells people while it runs, the seed's communication plan:
 * "started" at once, a status every {@code notifications.statusEveryMinutes} (steps done, the
 * current step, elapsed time and the projected finish against the RTO), then "finished" or
 * "failed". Also watches the projection: when it passes the RTO while the run is on-track, the
 * run's {@code LifeboatRtoStatus} becomes at-risk and {@value #PROJECTED_OVER_RTO} is 1.
 *
 * <p>Everything here adds commands to a workflow's history (activities, timers, upserts), so
 * it is one patch, {@value #CHANGE}: runs recorded before it replay with none of it.
 * Notifications go only where channels are configured; a run without any sends nothing and
 * starts no timer. Call from workflow code only.
 */
public final class RunNews {
  /** The patch that introduced run notifications, projections and the status cadence. */
  public static final String CHANGE = "run-notifications";
  /** The patch that shares the RTO net of the run's lead ({@link StepPlan#project}). */
  public static final String NET_OF_LEAD_CHANGE = "projection-net-of-lead";
  public static final String EVENT_STARTED = "run-started";
  public static final String EVENT_STATUS = "run-status";
  public static final String EVENT_FINISHED = "run-finished";
  public static final String EVENT_FAILED = Notification.EVENT_FAILURE;

  /** Gauge: 1 while a run's projected finish passes its RTO, else 0; tagged kind and subject. */
  public static final String PROJECTED_OVER_RTO = "lifeboat_run_projected_over_rto";
  /** Gauge: the projected total duration of a run, seconds, at its last projection. */
  public static final String PROJECTED_SECONDS = "lifeboat_run_projected_seconds";
  public static final Map<String, String> HELP = Map.of(
      PROJECTED_OVER_RTO, "1 while a recovery's or rollback's projected finish passes its RTO",
      PROJECTED_SECONDS, "Projected total duration of a recovery or rollback, seconds");

  private final boolean on;
  private final NotificationTarget target;
  private final String kind;
  private final String subject;
  private final String what;
  private final RtoClock rto;
  private final StepRecorder steps;
  private final ReportWriter report;
  private final Supplier<List<String>> planned;
  private final Map<String, Long> previous;
  private boolean netOfLead;
  private boolean stopped;
  private int statusSent;
  private Projection first;
  private final List<Projection> sent = new ArrayList<>();

  private RunNews(boolean on, NotificationTarget target, String kind, String subject,
      String what, RtoClock rto, StepRecorder steps, ReportWriter report,
      Supplier<List<String>> planned, Map<String, Long> previous) {
    this.on = on;
    this.target = target == null ? NotificationTarget.NONE : target;
    this.kind = kind;
    this.subject = subject;
    this.what = what;
    this.rto = rto;
    this.steps = steps;
    this.report = report;
    this.planned = planned;
    this.previous = previous;
  }

  /**
   * At the start of a run, after its clock: sends "started", starts the status cadence, and
   * from now on re-projects after each step.
   *
   * @param what "recovery of database orders": the subject of every message
   * @param report where {@link #finished} and {@link #failed} add the projection's facts
   * @param planned the steps the run expects, asked at each projection (a database recovery's
   *     change when its plan step chooses dump or PITR)
   * @param previous step durations of the previous successful run, or empty
   */
  public static RunNews start(NotificationTarget target, String kind, String subject,
      String what, RtoClock rto, StepRecorder steps, ReportWriter report,
      Supplier<List<String>> planned, Map<String, Long> previous) {
    boolean on = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    RunNews news = new RunNews(on, target, kind, subject, what, rto, steps, report, planned,
        previous);
    if (!on) return news;
    // Decided once, in workflow code: a query's projection reads the field, never a version.
    news.netOfLead = Workflow.getVersion(NET_OF_LEAD_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    steps.onEachStep(step -> news.afterStep());
    news.first = news.projection();
    if (news.notifying()) {
      Map<String, String> d = news.details(news.first);
      news.send(EVENT_STARTED, what + " started",
          what + " started; projected finish " + news.first.describe(), d);
      news.cadence();
    }
    return news;
  }

  private boolean notifying() {
    return on && target.channels().any();
  }

  private StepPlan plan() {
    return StepPlan.of(planned.get(), previous, rto.rtoMillis());
  }

  /** {@code news.projection()}, or null before the run started (a query can come first). */
  public static Projection projection(RunNews news) {
    return news == null ? null : news.projection();
  }

  /** The projection now, from the plan, the steps done and the current step. */
  public Projection projection() {
    long now = Workflow.currentTimeMillis();
    long start = rto.startedAtMillis();
    if (stopped) {
      long elapsed = rto.elapsedMillis();
      return new Projection(elapsed, 0, elapsed, start + elapsed, rto.rtoMillis(),
          elapsed > rto.rtoMillis(), "the finished run");
    }
    return plan().project(start, now, steps.steps(), steps.current(),
        steps.currentStartedAt(start), netOfLead);
  }

  /**
   * After each step: when the projection passes the RTO while the run is on-track, marks it
   * at-risk (an upsert, as the web UI's list shows it) and sets the gauge.
   */
  public void afterStep() {
    if (!on || stopped) return;
    watchProjection(projection());
  }

  private void watchProjection(Projection p) {
    var scope = Workflow.getMetricsScope().tagged(Map.of("kind", kind, "subject", subject));
    scope.gauge(PROJECTED_OVER_RTO).update(p.overRto() ? 1 : 0);
    scope.gauge(PROJECTED_SECONDS).update(p.totalMillis() / 1000.0);
    if (p.overRto() && RTO_ON_TRACK.equals(rto.status())) {
      rto.mark(RTO_AT_RISK);
    }
  }

  private void cadence() {
    long every = target.channels().statusEveryMillis();
    Async.procedure(() -> {
      while (true) {
        Workflow.await(Duration.ofMillis(every), () -> stopped);
        if (stopped) return;
        status();
      }
    });
  }

  private void status() {
    Projection p = projection();
    watchProjection(p);
    statusSent++;
    sent.add(p);
    Map<String, String> d = details(p);
    send(EVENT_STATUS, what + ": status " + statusSent + ", " + Projection.duration(
        p.elapsedMillis()) + " in", "in step " + steps.current() + " after "
        + Projection.duration(p.elapsedMillis()) + "; projected finish " + p.describe(), d);
  }

  /**
   * The run succeeded: the cadence stops; "finished" with the time used against the RTO; the
   * projection's facts go into the report.
   */
  public void finished(String summary) {
    stopped = true;
    report.facts(reportFacts());
    if (!notifying()) return;
    Projection p = projection();
    Map<String, String> d = details(p);
    d.put("RTO status", rto.status());
    send(EVENT_FINISHED, what + " finished in " + Projection.duration(p.elapsedMillis()),
        what + " finished in " + Projection.duration(p.elapsedMillis()) + " ("
            + rto.status() + " against an RTO of " + Projection.duration(rto.rtoMillis()) + ")"
            + (summary == null ? "" : "; " + summary), d);
  }

  /** The run failed in its last step: the cadence stops; "failed" with the step and reason. */
  public void failed(String reason) {
    stopped = true;
    report.facts(reportFacts());
    if (!notifying()) return;
    String step = steps.last();
    Projection p = projection();
    Map<String, String> d = details(p);
    d.put("Failed step", step);
    d.put("Reason", reason);
    send(EVENT_FAILED, what + " failed in step " + step,
        what + " failed in step " + step + " after " + Projection.duration(p.elapsedMillis())
            + ": " + reason, d);
  }

  /** Stops the cadence without a message (the caller sends its own). */
  public void stop() {
    stopped = true;
  }

  /** Facts for the run's report: the rule, the projection at the start and at each status. */
  public Map<String, String> reportFacts() {
    Map<String, String> f = new LinkedHashMap<>();
    if (!on) return f;
    f.put("Projection rule", "elapsed + the rest of the current step + the planned steps left,"
        + " each estimated from the previous successful run, else an equal share of the RTO");
    List<String> e = new ArrayList<>();
    plan().estimates().forEach((s, ms) -> e.add(s + " " + Projection.duration(ms)));
    f.put("Step estimates", String.join(", ", e));
    if (first != null) f.put("Projected finish at the start", first.describe());
    for (int i = 0; i < sent.size(); i++) {
      f.put("Projected finish at status " + (i + 1), sent.get(i).describe());
    }
    if (notifying()) f.put("Status messages sent", String.valueOf(statusSent));
    return f;
  }

  public int statusSent() {
    return statusSent;
  }

  private Map<String, String> details(Projection p) {
    Map<String, String> d = new LinkedHashMap<>();
    List<String> done = new ArrayList<>();
    for (StepTiming t : steps.steps()) {
      done.add(t.step() + " " + Projection.duration(t.durationMillis())
          + ("ok".equals(t.outcome()) ? "" : " (" + t.outcome() + ")"));
    }
    d.put("Steps done", done.isEmpty() ? "none yet" : String.join(", ", done));
    d.put("Current step", steps.current());
    d.put("Elapsed", Projection.duration(p.elapsedMillis()));
    d.put("RTO", Projection.duration(rto.rtoMillis()) + " (" + rto.status() + ")");
    d.put("Projected finish", p.describe());
    return d;
  }

  private void send(String event, String subjectLine, String text, Map<String, String> d) {
    Notifier.send(target, new Notification(event, subjectLine, text, d,
        target.link(Workflow.getInfo().getWorkflowId())));
  }
}
