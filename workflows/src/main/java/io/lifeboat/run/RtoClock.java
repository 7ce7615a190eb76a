package io.lifeboat.run;

import static io.lifeboat.run.LifeboatSearchAttributes.RTO_AT_RISK;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_BREACHED;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_MET;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_ON_TRACK;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A run measured against its recovery time objective, in workflow time (the same on replay):
 * on-track, at-risk past {@value #AT_RISK} of it, breached past it, and at the end met or
 * breached. A breach is final: a later step ending in time does not undo it. Every change while
 * the run goes is upserted to {@code LifeboatRtoStatus} as it happens, so the web UI's list
 * shows a stuck step as a breach while it is stuck, not only when the run ends.
 *
 * <p>The recoveries and the rollback were recorded with different watches, and their histories
 * must replay as recorded: {@link #watch} (two timers, versioned by {@value #AT_RISK_CHANGE})
 * with {@link #breachIfOver} after each step, or {@link #watchForBreach} (one sleep) with
 * {@link #update} after each step. Which a workflow uses is part of its recorded command
 * sequence; do not switch one without a {@code Workflow.getVersion}.
 */
public final class RtoClock {
  private static final Logger log = Workflow.getLogger(RtoClock.class);
  /** Past this share of the RTO, still running, the run is at-risk. */
  public static final double AT_RISK = 0.8;
  /** Runs recorded before at-risk existed had one timer for the whole RTO; they replay as such. */
  public static final String AT_RISK_CHANGE = "rto-at-risk";

  private final long startedAt;
  private final long rtoMillis;
  private String status = RTO_ON_TRACK;
  private boolean stopped;
  private long stoppedAt;

  private RtoClock(long startedAt, long rtoMillis) {
    this.startedAt = startedAt;
    this.rtoMillis = rtoMillis;
  }

  /** Starts the clock now (workflow time). Upserts nothing: see {@link RunOutcome#running}. */
  public static RtoClock start(long rtoMinutes) {
    return new RtoClock(Workflow.currentTimeMillis(), rtoMinutes * 60_000L);
  }

  /**
   * Watches in the background: at-risk at {@value #AT_RISK} of the RTO, breached at the RTO,
   * each logged with the step the run is in ({@code what}: "recovery of orders"), unless the
   * run stopped first. {@code onAtRisk} is for the caller's metrics.
   */
  public void watch(String what, Supplier<String> currentStep, Runnable onAtRisk) {
    Async.procedure(() -> {
      if (Workflow.getVersion(AT_RISK_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        Workflow.await(Duration.ofMillis(Math.max(1, (long) (rtoMillis * AT_RISK))),
            () -> stopped);
        if (!stopped && RTO_ON_TRACK.equals(status)) {
          mark(RTO_AT_RISK);
          onAtRisk.run();
          log.warn("{} has used {} % of its RTO of {} min and is still in step {}", what,
              Math.round(AT_RISK * 100), rtoMillis / 60_000L, currentStep.get());
        }
        Workflow.await(Duration.ofMillis(Math.max(1, rtoMillis - elapsedMillis())),
            () -> stopped);
      } else {
        Workflow.await(Duration.ofMillis(Math.max(1, rtoMillis)), () -> stopped);
      }
      if (!stopped && !RTO_BREACHED.equals(status)) {
        mark(RTO_BREACHED);
        log.warn("{} has used its RTO of {} min and is still in step {}", what,
            rtoMillis / 60_000L, currentStep.get());
      }
    });
  }

  /** The rollback's watch: one sleep for the whole RTO, then a breach if still running. */
  public void watchForBreach() {
    Async.procedure(() -> {
      Workflow.sleep(Duration.ofMillis(rtoMillis));
      if (!stopped) mark(RTO_BREACHED);
    });
  }

  /** After a step of a {@link #watch}ed run: breached as soon as the RTO has passed. */
  public void breachIfOver() {
    if (!stopped && elapsedMillis() > rtoMillis) mark(RTO_BREACHED);
  }

  /**
   * After a step of a {@link #watchForBreach}ed run, and at its end before {@link #stop}:
   * on-track, at-risk or breached by now.
   */
  public void update() {
    if (stopped) return;
    long elapsed = elapsedMillis();
    mark(elapsed > rtoMillis ? RTO_BREACHED
        : elapsed > rtoMillis * AT_RISK ? RTO_AT_RISK : RTO_ON_TRACK);
  }

  /** Upserts {@code next} unless it is the status already or the RTO is already breached. */
  public void mark(String next) {
    if (next.equals(status) || RTO_BREACHED.equals(status)) return;
    status = next;
    Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(next));
  }

  /** The run ended: the watch stands down and the elapsed time stops. */
  public void stop() {
    if (stopped) return;
    stopped = true;
    stoppedAt = Workflow.currentTimeMillis();
  }

  /**
   * Stops the clock on a run that succeeded: met within the RTO, else breached. Not upserted
   * here: {@link RunOutcome#succeeded} writes it with the outcome, in one upsert.
   */
  String settleSucceeded() {
    stop();
    status = elapsedMillis() <= rtoMillis ? RTO_MET : RTO_BREACHED;
    return status;
  }

  /** Stops the clock on a run that failed: a failed run never meets its RTO. */
  String settleFailed() {
    stop();
    status = RTO_BREACHED;
    return status;
  }

  /** Time since the start; once stopped, up to the stop. */
  public long elapsedMillis() {
    return (stopped ? stoppedAt : Workflow.currentTimeMillis()) - startedAt;
  }

  public String status() {
    return status;
  }

  public boolean met() {
    return RTO_MET.equals(status);
  }

  public long startedAtMillis() {
    return startedAt;
  }

  public long rtoMillis() {
    return rtoMillis;
  }
}
