package io.lifeboat.recover.db;

import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches WAL from the repository ahead of PostgreSQL's startup process, so replay does not
 * wait for one download per segment (pgBackRest's archive-async does the same).
 *
 * <p>The restore_command ({@link #RESTORE_SCRIPT}) is a few lines of sh: it refuses at once a
 * name the archive does not have (the startup process probes for history files and for the
 * end of the archive), else marks the name wanted and waits until the file appears in the
 * spool, then moves it into place. This feeder watches the wanted names, fetches them and the
 * next segments of the same timeline, several at once, each checked against its SHA-256
 * ({@link WalArchive#fetch}) and given to the cluster's OS user before it becomes visible.
 *
 * <p>When the worker dies, the startup process simply waits; the retried activity starts a new
 * feeder that picks up the wanted name. Nothing is lost and nothing is fetched twice on purpose.
 */
final class WalFeeder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalFeeder.class);

  static final String RESTORE_SCRIPT = """
      #!/bin/sh
      # restore_command of a Lifeboat recovery: %f %p. Written by the worker; see WalFeeder.
      f="$1"; p="$2"; d="$(dirname "$0")"
      grep -qxF "$f" "$d/index" || exit 1
      : > "$d/want/$f"
      while [ ! -f "$d/wal/$f" ]; do
        # the server is shutting down (postmaster.pid lives in the cwd, the data directory)
        [ -f postmaster.pid ] || exit 1
        sleep 0.02
      done
      rm -f "$d/want/$f" && mv -f "$d/wal/$f" "$p"
      """;

  private final WalArchive archive;
  private final Path work;
  private final ClusterControl control;
  private final List<String> segments;
  private final int ahead;
  private final Throttle throttle;
  private final ExecutorService pool;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<String> fetched = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicReference<RuntimeException> error = new AtomicReference<>();
  private final Thread loop;
  private volatile boolean stop;

  /** @param index every archived name, as written to the index file */
  WalFeeder(WalArchive archive, Path work, ClusterControl control, List<String> index, int ahead,
      int threads, Throttle throttle) {
    this.throttle = throttle;
    this.archive = archive;
    this.work = work;
    this.control = control;
    this.segments = index.stream().filter(WalNames::isSegment).sorted().toList();
    this.ahead = ahead;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "wal-feeder");
      t.setDaemon(true);
      return t;
    });
    this.loop = new Thread(this::run, "wal-feeder-loop");
    this.loop.setDaemon(true);
  }

  /** Creates the spool (wal/, want/, tmp/, index, restore.sh) for the cluster's OS user. */
  static void prepareSpool(Path work, ClusterControl control, List<String> index)
      throws IOException {
    for (String d : List.of("", "wal", "want", "tmp")) {
      Path p = work.resolve(d);
      Files.createDirectories(p);
      control.own(p);
    }
    Path idx = work.resolve("index");
    Files.write(idx, (String.join("\n", index) + "\n").getBytes());
    control.own(idx);
    Path script = work.resolve("restore.sh");
    Files.writeString(script, RESTORE_SCRIPT);
    script.toFile().setExecutable(true, false);
    control.own(script);
  }

  WalFeeder start() {
    loop.start();
    return this;
  }

  int fetchedCount() {
    return count.get();
  }

  RuntimeException error() {
    return error.get();
  }

  private void run() {
    while (!stop && error.get() == null) {
      try {
        tick();
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        error.compareAndSet(null, e instanceof RuntimeException re ? re
            : new IllegalStateException("WAL spool: " + e.getMessage(), e));
      }
    }
  }

  private void tick() throws IOException {
    TreeSet<String> wanted = new TreeSet<>();
    try (Stream<Path> s = Files.list(work.resolve("want"))) {
      s.forEach(p -> wanted.add(p.getFileName().toString()));
    }
    for (String w : wanted) {
      // In this order: restore.sh removes the mark before it moves the file into place, so a
      // name absent from wal/ whose mark is still there afterwards has not been delivered (else
      // the feeder would fetch it again between the script's mv and its rm: a stray copy).
      if (Files.exists(work.resolve("wal").resolve(w))) continue;
      if (Files.exists(work.resolve("want").resolve(w))) submit(w);
    }
    String newest = wanted.descendingSet().stream().filter(WalNames::isSegment).findFirst()
        .orElse(null);
    if (newest == null) return;
    int i = java.util.Collections.binarySearch(segments, newest);
    if (i < 0) return;
    String tli = newest.substring(0, 8);
    for (int k = i + 1, n = 0; k < segments.size() && n < ahead; k++) {
      String s = segments.get(k);
      if (!s.startsWith(tli)) continue;
      n++;
      if (!fetched.contains(s)) submit(s);
    }
  }

  private void submit(String name) {
    if (!inFlight.add(name)) return;
    pool.submit(() -> {
      try {
        Path tmp = work.resolve("tmp").resolve(name);
        if (!archive.fetch(name, tmp)) {
          throw new IllegalStateException("WAL " + name + " is listed but no longer archived");
        }
        throttle.account(archive.info(name).map(i -> i.size()).orElse(0L));
        control.own(tmp);
        Files.move(tmp, work.resolve("wal").resolve(name), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        fetched.add(name);
        count.incrementAndGet();
      } catch (IOException e) {
        error.compareAndSet(null, new IllegalStateException("WAL spool: " + e.getMessage(), e));
      } catch (RuntimeException e) {
        log.warn("fetching {} failed: {}", name, e.getMessage());
        error.compareAndSet(null, e);
      } finally {
        inFlight.remove(name);
      }
    });
  }

  @Override
  public void close() {
    stop = true;
    loop.interrupt();
    pool.shutdownNow();
  }
}
