package io.lifeboat.wal;

import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.wal.WalNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous half of archive_command, one per cluster (the launcher holds its lock).
 * archive_command ({@code lifeboat wal-push}, in bash, no JVM) drops a request in the spool and
 * waits for this process to confirm; a JVM per segment would cost more than half a second, and
 * PostgreSQL archives one segment at a time.
 *
 * <p>Spool, one directory per database ({@code SPOOL/NAME/}):
 * <pre>
 * req/WALNAME   written by wal-push: the absolute path of the file PostgreSQL wants archived
 * ok/WALNAME    written here once the file is in S3: its SHA-256 (wal-push compares it with the
 *               file it was given before it exits 0, so a stale marker can never confirm)
 * err/WALNAME   written here when a requested file cannot be archived: one line for the log
 * </pre>
 * Besides requests, it reads pg_wal/archive_status/*.ready and pushes the next segments ahead,
 * several at once, so the request for them finds its marker waiting. Markers are written only
 * after S3 acknowledged the object, which keeps the promise of archive_command: exit 0 only
 * when the segment is durably stored. It exits after being idle for a while; the next
 * wal-push starts it again.
 */
public final class WalShipper {
  private static final Duration STALE_MARKER = Duration.ofMinutes(10);

  private final WalArchive archive;
  private final Path spool;
  private final int parallel;
  private final Duration idleExit;
  private final PrintStream log;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile Path walDir;
  /**
   * Set when the repository refuses us for a reason only a person can fix (credentials, bucket):
   * the shipper then exits, so the next wal-push starts one that reads the corrected settings.
   */
  private volatile String refusedBy;

  public WalShipper(WalArchive archive, Path spool, int parallel, Duration idleExit,
      PrintStream log) {
    this.archive = archive;
    this.spool = spool;
    this.parallel = parallel;
    this.idleExit = idleExit;
    this.log = log;
  }

  public static Path requests(Path spool) {
    return spool.resolve("req");
  }

  public static Path confirmed(Path spool) {
    return spool.resolve("ok");
  }

  public static Path refused(Path spool) {
    return spool.resolve("err");
  }

  /** Runs until idle for {@code idleExit}. */
  public void run() throws IOException, InterruptedException {
    for (Path d : List.of(requests(spool), confirmed(spool), refused(spool))) {
      Files.createDirectories(d);
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "wal-push");
      t.setDaemon(true);
      return t;
    });
    long lastWork = System.nanoTime();
    long lastSweep = 0;
    say("shipper started for " + archive.database() + " (" + parallel + " at once)");
    try {
      while (true) {
        boolean submitted = false;
        for (Path req : listDir(requests(spool))) {
          String name = req.getFileName().toString();
          if (inFlight.contains(name) || name.startsWith(".")) continue;
          if (!WalNames.isArchivable(name)) {   // wal-push (bash) leaves this rule to us
            refuse(name, "'" + name + "' is not a WAL file name");
            continue;
          }
          String path;
          try {
            path = Files.readString(req, StandardCharsets.UTF_8).strip();
          } catch (NoSuchFileException gone) {
            continue;
          }
          Path file = Path.of(path);
          if (file.getParent() != null) walDir = file.getParent();
          submit(pool, name, file, true);
          submitted = true;
        }
        submitted |= readAhead(pool);
        if (submitted || !inFlight.isEmpty()) lastWork = System.nanoTime();
        if (System.nanoTime() - lastWork > idleExit.toNanos()) break;
        if (refusedBy != null) {
          say("exiting: " + refusedBy);
          break;
        }
        if (System.nanoTime() - lastSweep > Duration.ofMinutes(1).toNanos()) {
          sweepStaleMarkers();
          lastSweep = System.nanoTime();
        }
        Thread.sleep(20);
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(2, TimeUnit.MINUTES);
      say("shipper idle; exiting");
    }
  }

  /** Segments PostgreSQL has marked .ready, oldest first, pushed before anyone asks. */
  private boolean readAhead(ExecutorService pool) throws IOException {
    Path dir = walDir;
    if (dir == null || inFlight.size() >= parallel * 2) return false;
    List<String> ready = new ArrayList<>();
    for (Path p : listDir(dir.resolve("archive_status"))) {
      String f = p.getFileName().toString();
      if (f.endsWith(".ready")) {
        String name = f.substring(0, f.length() - ".ready".length());
        if (WalNames.isArchivable(name)) ready.add(name);
      }
    }
    // History files first (a promotion writes one before the new timeline's segments).
    ready.sort((a, b) -> Boolean.compare(!WalNames.isHistory(a), !WalNames.isHistory(b)) != 0
        ? Boolean.compare(!WalNames.isHistory(a), !WalNames.isHistory(b)) : a.compareTo(b));
    boolean any = false;
    for (String name : ready) {
      if (inFlight.size() >= parallel * 2) break;
      if (inFlight.contains(name) || Files.exists(confirmed(spool).resolve(name))) continue;
      submit(pool, name, dir.resolve(name), false);
      any = true;
    }
    return any;
  }

  private void submit(ExecutorService pool, String name, Path file, boolean requested) {
    inFlight.add(name);
    pool.execute(() -> {
      try {
        WalArchive.PushResult r = archive.push(file, name);
        Files.deleteIfExists(requests(spool).resolve(name));
        mark(confirmed(spool), name, r.sha256());
        if (r.outcome() == WalArchive.Outcome.STORED) {
          say("archived " + name + " (" + r.rawBytes() + " → " + r.storedBytes() + " bytes)"
              + (requested ? "" : " ahead of its request"));
        }
      } catch (StorageException e) {
        boolean vanished = e.kind() == FailureKind.LOCAL_IO && !Files.exists(file);
        if (!e.kind().retryable() && e.kind() != FailureKind.WAL_CONFLICT
            && e.kind() != FailureKind.LOCAL_IO) {
          refusedBy = e.getMessage();
        }
        if (requested || e.kind() == FailureKind.WAL_CONFLICT && !vanished) {
          refuse(name, e.getMessage() + (e.kind().retryable() ? "" : " (" + e.kind().hint() + ")"));
        }
        if (!vanished) say("could not archive " + name + ": " + e.getMessage());
      } catch (RuntimeException | IOException e) {
        if (requested) refuse(name, "unexpected error: " + e);
        say("could not archive " + name + ": " + e);
      } finally {
        inFlight.remove(name);
      }
    });
  }

  private void refuse(String name, String message) {
    try {
      Files.deleteIfExists(requests(spool).resolve(name));
      mark(refused(spool), name, message.replace('\n', ' '));
    } catch (IOException e) {
      say("cannot write the spool " + spool + ": " + e);
    }
  }

  private static void mark(Path dir, String name, String content) throws IOException {
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Markers of segments pushed ahead that PostgreSQL never asked for (e.g. after a restart). */
  private void sweepStaleMarkers() throws IOException {
    Instant cutoff = Instant.now().minus(STALE_MARKER);
    for (Path dir : List.of(confirmed(spool), refused(spool))) {
      for (Path p : listDir(dir)) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
          // consumed meanwhile
        }
      }
    }
  }

  private static List<Path> listDir(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!p.getFileName().toString().startsWith(".")) out.add(p);
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    out.sort(null);
    return out;
  }

  private void say(String line) {
    log.println(Instant.now() + " " + line);
    log.flush();
  }
}
