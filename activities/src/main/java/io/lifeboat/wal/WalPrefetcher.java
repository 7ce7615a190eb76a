package io.lifeboat.wal;

import io.lifeboat.storage.StorageException;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous half of restore_command, one per database and spool: while PostgreSQL replays
 * one segment, the next ones are downloaded, decompressed and checksum-checked into the spool,
 * so {@code lifeboat wal-fetch} (bash, no JVM) only has to move a file into place.
 *
 * <pre>
 * SPOOL/NAME/fetch/req/WALNAME   written by wal-fetch: PostgreSQL wants this file
 * SPOOL/NAME/fetch/got/WALNAME   the file, verified (SHA-256 and size as archived)
 * SPOOL/NAME/fetch/miss/WALNAME  the archive does not have it (answering a request only)
 * SPOOL/NAME/fetch/err/WALNAME   it could not be restored: one line for the server log
 * </pre>
 */
public final class WalPrefetcher {
  private static final Duration UNCLAIMED = Duration.ofMinutes(10);
  private static final long ABSENT_RETRY_NANOS = Duration.ofSeconds(5).toNanos();

  private final WalArchive archive;
  private final Path dir;
  private final int parallel;
  private final int ahead;
  private final long segmentSize;
  private final Duration idleExit;
  private final PrintStream log;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> absent = new ConcurrentHashMap<>();
  /** Fetched ahead already (maybe taken since): never fetched ahead again, only on request. */
  private final Set<String> fetched = ConcurrentHashMap.newKeySet();

  public WalPrefetcher(WalArchive archive, Path spool, int parallel, int ahead, long segmentSize,
      Duration idleExit, PrintStream log) {
    this.archive = archive;
    this.dir = spool.resolve("fetch");
    this.parallel = parallel;
    this.ahead = ahead;
    this.segmentSize = segmentSize;
    this.idleExit = idleExit;
    this.log = log;
  }

  public void run() throws IOException, InterruptedException {
    for (String d : List.of("req", "got", "miss", "err")) Files.createDirectories(dir.resolve(d));
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "wal-fetch");
      t.setDaemon(true);
      return t;
    });
    long lastWork = System.nanoTime();
    long lastSweep = 0;
    try {
      while (true) {
        boolean any = false;
        for (Path req : list(dir.resolve("req"))) {
          String name = req.getFileName().toString();
          if (!WalNames.isArchivable(name)) {   // wal-fetch (bash) leaves this rule to us
            if (!name.startsWith(".")) answer("err", name, "'" + name + "' is not a WAL file name");
            Files.deleteIfExists(req);
            continue;
          }
          any = true;
          if (Files.exists(dir.resolve("got").resolve(name))) {
            Files.deleteIfExists(req);   // already here: wal-fetch takes it
            continue;
          }
          if (!inFlight.contains(name)) submit(pool, name, true);
          if (WalNames.isSegment(name)) {
            String next = name;
            for (int i = 0; i < ahead; i++) {
              next = WalNames.next(next, segmentSize);
              if (inFlight.size() >= parallel * 2) break;
              Long gone = absent.get(next);
              if (gone != null && System.nanoTime() - gone < ABSENT_RETRY_NANOS) break;
              if (!inFlight.contains(next) && !fetched.contains(next)
                  && !Files.exists(dir.resolve("got").resolve(next))) {
                submit(pool, next, false);
              }
            }
          }
        }
        if (any || !inFlight.isEmpty()) lastWork = System.nanoTime();
        if (System.nanoTime() - lastWork > idleExit.toNanos()) break;
        if (System.nanoTime() - lastSweep > Duration.ofMinutes(1).toNanos()) {
          sweep();
          lastSweep = System.nanoTime();
        }
        Thread.sleep(10);
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(2, TimeUnit.MINUTES);
      say("prefetcher idle; exiting");
    }
  }

  private void submit(ExecutorService pool, String name, boolean requested) {
    inFlight.add(name);
    pool.execute(() -> {
      try {
        Path got = dir.resolve("got").resolve(name);
        if (archive.fetch(name, got)) {
          absent.remove(name);
          fetched.add(name);
          if (requested) Files.deleteIfExists(dir.resolve("req").resolve(name));
        } else {
          absent.put(name, System.nanoTime());
          if (requested) answer("miss", name, "not in the archive");
        }
      } catch (StorageException | IOException e) {
        say("could not restore " + name + ": " + e.getMessage());
        if (requested) answer("err", name, e.getMessage());
      } catch (RuntimeException e) {
        say("could not restore " + name + ": " + e);
        if (requested) answer("err", name, e.toString());
      } finally {
        inFlight.remove(name);
      }
    });
  }

  private void answer(String kind, String name, String message) {
    try {
      Files.deleteIfExists(dir.resolve("req").resolve(name));
      Path tmp = dir.resolve(kind).resolve("." + name + ".tmp");
      Files.writeString(tmp, message.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(kind).resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      say("cannot write the spool " + dir + ": " + e);
    }
  }

  /** Files fetched ahead that recovery never asked for (it stopped, or took another timeline). */
  private void sweep() throws IOException {
    Instant cutoff = Instant.now().minus(UNCLAIMED);
    for (String d : List.of("got", "miss", "err")) {
      for (Path p : list(dir.resolve(d))) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
          // taken meanwhile
        }
      }
    }
  }

  private static List<Path> list(Path d) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      for (Path p : ds) if (!p.getFileName().toString().startsWith(".")) out.add(p);
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
