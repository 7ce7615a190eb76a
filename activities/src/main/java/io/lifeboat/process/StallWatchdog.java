package io.lifeboat.process;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Ends a stream that stopped flowing. A tool that reads from the network (pg_dump over TCP)
 * blocks for as long as the TCP connection is silent: a link taken down without a reset
 * leaves it, and the activity thread reading its output, waiting for hours (until the kernel's
 * keepalive, 2 h by default, or the link's return). Temporal times the attempt out when its
 * heartbeat stops, but the timed-out attempt's thread, its tool process and its worker slot
 * stay. The watchdog is armed only while the caller waits in a read of the tool's output
 * (never while it waits for its own upload: that is not the tool's silence); when one such
 * wait has lasted {@code limit}, it runs {@code onStall} once (the caller kills the tool,
 * which closes its output, so the read returns) and {@link #fired()} stays true, so the
 * caller fails the attempt as a retryable failure instead of reading a short stream as the
 * end.
 *
 * <p>Time comes from the clock given (nanoseconds): tests drive it and call {@link #check()}
 * themselves; {@link #start} checks on a daemon thread against {@link System#nanoTime}.
 */
public final class StallWatchdog implements AutoCloseable {
  /** Without a heartbeat timeout to derive it from: a minute of silence is a stall. */
  static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);
  private static final long IDLE = Long.MIN_VALUE;

  private final Duration limit;
  private final LongSupplier clock;
  private final Runnable onStall;
  private final AtomicLong waitingSince = new AtomicLong(IDLE);
  private final AtomicBoolean fired = new AtomicBoolean();
  private ScheduledExecutorService timer;

  /** Checked by the caller ({@link #check()}): tests, with a clock they drive. */
  public StallWatchdog(Duration limit, LongSupplier nanoClock, Runnable onStall) {
    if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("limit " + limit);
    this.limit = limit;
    this.clock = nanoClock;
    this.onStall = onStall;
  }

  /** Checked on a daemon thread named {@code name} a few times per limit, on the real clock. */
  public static StallWatchdog start(String name, Duration limit, Runnable onStall) {
    StallWatchdog w = new StallWatchdog(limit, System::nanoTime, onStall);
    w.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stall-watchdog-" + name);
      t.setDaemon(true);
      return t;
    });
    long tick = Math.max(50, Math.min(1000, limit.toMillis() / 10));
    w.timer.scheduleWithFixedDelay(w::check, tick, tick, TimeUnit.MILLISECONDS);
    return w;
  }

  /**
   * The stall limit of a streaming activity with heartbeat timeout {@code heartbeatTimeout}:
   * two thirds of it, so the attempt fails with its own reason (and its tool is gone) before
   * Temporal would time it out; {@link #DEFAULT_LIMIT} without one.
   */
  public static Duration limitFor(Duration heartbeatTimeout) {
    if (heartbeatTimeout == null || heartbeatTimeout.isZero() || heartbeatTimeout.isNegative()) {
      return DEFAULT_LIMIT;
    }
    return heartbeatTimeout.multipliedBy(2).dividedBy(3);
  }

  /** The caller is about to wait for the tool's output. */
  public void waiting() {
    waitingSince.set(clock.getAsLong());
  }

  /** The wait ended (bytes came, the stream ended or failed). */
  public void done() {
    waitingSince.set(IDLE);
  }

  /** Whether the caller is waiting in a read now. */
  public boolean isWaiting() {
    return waitingSince.get() != IDLE;
  }

  /** Fires (once) when the current wait has lasted the limit; whether it has fired. */
  public boolean check() {
    long since = waitingSince.get();
    if (since != IDLE && clock.getAsLong() - since >= limit.toNanos()
        && fired.compareAndSet(false, true)) {
      onStall.run();
    }
    return fired.get();
  }

  /** Whether the stream was declared stalled (and {@code onStall} ran). */
  public boolean fired() {
    return fired.get();
  }

  public Duration limit() {
    return limit;
  }

  /** {@code in} with this watchdog armed during each of its reads. */
  public InputStream watch(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        waiting();
        try {
          return super.read();
        } finally {
          done();
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        waiting();
        try {
          return super.read(b, off, len);
        } finally {
          done();
        }
      }
    };
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
  }
}
