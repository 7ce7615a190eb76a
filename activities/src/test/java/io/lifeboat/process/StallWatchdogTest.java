package io.lifeboat.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall watchdog on a clock the test drives: no wall-clock bound anywhere. */
class StallWatchdogTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(5 * S);
  private final AtomicInteger kills = new AtomicInteger();
  private final StallWatchdog watchdog =
      new StallWatchdog(Duration.ofSeconds(20), now::get, kills::incrementAndGet);

  @Test
  void aWaitAsLongAsTheLimitFiresOnce() {
    watchdog.waiting();
    now.addAndGet(20 * S - 1);
    assertFalse(watchdog.check(), "one nanosecond short of the limit");
    assertEquals(0, kills.get());
    now.addAndGet(1);
    assertTrue(watchdog.check());
    assertTrue(watchdog.fired());
    now.addAndGet(60 * S);
    assertTrue(watchdog.check());
    assertEquals(1, kills.get(), "the tool is killed once");
  }

  @Test
  void timeOutsideAReadIsNeverAStall() {
    // back-pressure from the upload, or the time between the reads: not the tool's silence
    now.addAndGet(3600 * S);
    assertFalse(watchdog.check());
    watchdog.waiting();
    now.addAndGet(19 * S);
    watchdog.done();
    now.addAndGet(3600 * S);
    assertFalse(watchdog.check());
    assertEquals(0, kills.get());
  }

  @Test
  void eachReadStartsItsOwnWait() {
    for (int i = 0; i < 10; i++) {
      watchdog.waiting();
      now.addAndGet(19 * S);
      assertFalse(watchdog.check());
      watchdog.done();
    }
    assertFalse(watchdog.fired(), "190 s of slow reads, none of them 20 s long");
  }

  @Test
  void theWatchedStreamIsArmedOnlyInsideItsReads() throws Exception {
    InputStream in = watchdog.watch(new ByteArrayInputStream(new byte[] {1, 2, 3}));
    assertFalse(watchdog.isWaiting());
    assertEquals(2, in.read(new byte[2], 0, 2));
    assertFalse(watchdog.isWaiting());
    assertEquals(3, in.read());
    assertFalse(watchdog.isWaiting());
    assertEquals(-1, in.read(new byte[2]));
    now.addAndGet(3600 * S);
    assertFalse(watchdog.check());
  }

  /**
   * A reader blocked on a silent stream: when the driven clock passes the limit, the kill
   * (here: closing the writing end, as killing pg_dump closes its stdout) ends the read.
   */
  @Test
  void theKillEndsABlockedRead() throws Exception {
    PipedOutputStream tool = new PipedOutputStream();
    PipedInputStream stdout = new PipedInputStream(tool);
    StallWatchdog w = new StallWatchdog(Duration.ofSeconds(20), now::get, () -> {
      try {
        tool.close();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    InputStream in = w.watch(stdout);
    tool.write(7);
    CompletableFuture<Integer> reads = CompletableFuture.supplyAsync(() -> {
      try {
        int n = 0;
        while (in.read() >= 0) n++;
        return n;
      } catch (java.io.IOException e) {
        return -1;
      }
    });
    // the reader got its byte and waits for the next one
    await(() -> w.isWaiting() && stdout.available() == 0);
    now.addAndGet(20 * S);
    assertTrue(w.check());
    assertEquals(1, reads.get(5, TimeUnit.MINUTES), "the blocked read returned: end of stream");
    assertTrue(w.fired(), "and the caller knows the short stream was a stall, not the end");
  }

  /** The same with a real process that never writes: killing it ends the read of its stdout. */
  @Test
  void killingASilentProcessEndsTheReadOfItsOutput() throws Exception {
    Process silent = new ProcessBuilder("sleep", "600").start();
    try {
      StallWatchdog w = new StallWatchdog(Duration.ofSeconds(20), now::get,
          silent::destroyForcibly);
      InputStream in = w.watch(silent.getInputStream());
      CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
        try {
          return in.read(new byte[1024]);
        } catch (java.io.IOException e) {
          return -2;
        }
      });
      await(w::isWaiting);
      assertFalse(w.check());
      now.addAndGet(20 * S);
      assertTrue(w.check());
      int n = read.get(5, TimeUnit.MINUTES);
      assertTrue(n == -1 || n == -2, "the read ended: " + n);
      assertTrue(silent.waitFor(5, TimeUnit.MINUTES));
    } finally {
      silent.destroyForcibly();
    }
  }

  /** Waits (generously: a hang is a failure, never a timing claim) for the reader's state. */
  private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    for (int i = 0; !condition.call(); i++) {
      if (i > 300_000) throw new AssertionError("the reader never got there");
      Thread.sleep(1);
    }
  }

  @Test
  void theLimitIsTwoThirdsOfTheHeartbeatTimeout() {
    assertEquals(Duration.ofSeconds(20), StallWatchdog.limitFor(Duration.ofSeconds(30)));
    assertEquals(StallWatchdog.DEFAULT_LIMIT, StallWatchdog.limitFor(Duration.ZERO));
    assertEquals(StallWatchdog.DEFAULT_LIMIT, StallWatchdog.limitFor(null));
    assertThrows(IllegalArgumentException.class,
        () -> new StallWatchdog(Duration.ZERO, now::get, () -> { }));
  }
}
