package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.wal.MemoryStore;
import io.lifeboat.wal.WalArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL feeder and its restore_command against the in-memory repository: what PostgreSQL's
 * startup process asks for is fetched (checked, into the spool), the next segments of the same
 * timeline are fetched ahead and no more, and restore.sh itself (run by sh, as PostgreSQL runs
 * it) refuses unknown names at once, waits for a wanted one and moves it into place.
 */
class WalFeederTest {
  private static final String DB = "farmtally_production";
  private static final List<String> TL1 = List.of("000000010000000000000002",
      "000000010000000000000003", "000000010000000000000004", "000000010000000000000005",
      "000000010000000000000006", "000000010000000000000007");
  private static final String TL2 = "000000020000000000000004";

  @TempDir Path tmp;

  private final MemoryStore store = new MemoryStore();
  private final WalArchive archive = new WalArchive(store, "p", DB, 1);

  private ClusterControl me() {
    return new ClusterControl(System.getProperty("user.name"), tmp.toString(), null);
  }

  private static byte[] content(String name) {
    return ("WAL " + name + " ").repeat(300).getBytes(StandardCharsets.US_ASCII);
  }

  /** Archives the names and writes the spool; returns the spool directory. */
  private Path spool(List<String> names) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("pg_wal"));
    for (String n : names) {
      Path f = src.resolve(n);
      Files.write(f, content(n));
      archive.push(f, n);
    }
    Path work = tmp.resolve("work");
    List<String> index = archive.list().stream().map(WalArchive.Entry::name).sorted().toList();
    WalFeeder.prepareSpool(work, me(), index);
    return work;
  }

  private WalFeeder feeder(Path work, int ahead) throws Exception {
    return new WalFeeder(archive, work, me(), Files.readAllLines(work.resolve("index")), ahead, 2,
        new Throttle(0)).start();
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
      Thread.sleep(10);
    }
  }

  private static List<String> spooled(Path work) throws Exception {
    try (var s = Files.list(work.resolve("wal"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Pins the spool layout restore.sh relies on: index, want/, wal/, tmp/, an executable. */
  @Test
  void theSpoolHoldsTheIndexAndAnExecutableRestoreScript() throws Exception {
    Path work = spool(List.of(TL1.get(0), TL2));
    assertEquals(List.of(TL1.get(0), TL2), Files.readAllLines(work.resolve("index")));
    for (String d : List.of("want", "wal", "tmp")) assertTrue(Files.isDirectory(work.resolve(d)));
    assertTrue(Files.isExecutable(work.resolve("restore.sh")));
    assertEquals(WalFeeder.RESTORE_SCRIPT, Files.readString(work.resolve("restore.sh")));
  }

  /**
   * Pins the fetch: a wanted segment arrives in wal/ with its archived content, the next
   * {@code ahead} segments of its timeline follow, and neither a later one nor another
   * timeline's is fetched.
   */
  @Test
  void aWantedSegmentIsFetchedWithTheNextOnesOfItsTimelineOnly() throws Exception {
    List<String> all = new ArrayList<>(TL1);
    all.add(TL2);
    Path work = spool(all);
    try (WalFeeder f = feeder(work, 2)) {
      Files.createFile(work.resolve("want").resolve(TL1.get(1)));   // ...03
      await(() -> f.fetchedCount() >= 3, "03 and two ahead");
      Thread.sleep(200);   // room for a wrong extra fetch to show
      assertNull(f.error());
      assertEquals(List.of(TL1.get(1), TL1.get(2), TL1.get(3)), spooled(work));
      assertEquals(3, f.fetchedCount());
      assertArrayEquals(content(TL1.get(1)),
          Files.readAllBytes(work.resolve("wal").resolve(TL1.get(1))));
    }
  }

  /** Pins the failure path: a listed name the archive lost surfaces as the feeder's error. */
  @Test
  void aListedSegmentThatIsGoneIsTheFeedersError() throws Exception {
    Path work = spool(TL1.subList(0, 2));
    archive.delete(TL1.get(1));
    try (WalFeeder f = feeder(work, 0)) {
      Files.createFile(work.resolve("want").resolve(TL1.get(1)));
      await(() -> f.error() != null, "the error");
      assertTrue(f.error().getMessage().contains(TL1.get(1) + " is listed but no longer archived"),
          f.error().getMessage());
      assertFalse(Files.exists(work.resolve("wal").resolve(TL1.get(1))));
    }
  }

  private static Process restore(Path work, Path cwd, String name, Path dest) throws Exception {
    return new ProcessBuilder("sh", work.resolve("restore.sh").toString(), name, dest.toString())
        .directory(cwd.toFile()).redirectErrorStream(true).start();
  }

  /**
   * Pins restore.sh as PostgreSQL runs it (cwd the data directory): a name outside the index
   * fails at once (the startup process probes for history files and the end of the archive);
   * a listed one is waited for, moved to %p, and its want mark removed.
   */
  @Test
  void theRestoreScriptRefusesUnknownNamesAndDeliversWantedOnes() throws Exception {
    Path work = spool(TL1.subList(0, 3));
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("postmaster.pid"), "4711\n");
    Path dest = data.resolve("pg_wal-RECOVERYXLOG");

    Process unknown = restore(work, data, "00000003.history", dest);
    assertTrue(unknown.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, unknown.exitValue());
    assertFalse(Files.exists(work.resolve("want").resolve("00000003.history")));

    try (WalFeeder f = feeder(work, 0)) {
      Process wanted = restore(work, data, TL1.get(1), dest);
      assertTrue(wanted.waitFor(60, TimeUnit.SECONDS), "restore.sh waited for the feeder");
      assertEquals(0, wanted.exitValue(), new String(wanted.getInputStream().readAllBytes()));
      assertNull(f.error());
    }
    assertArrayEquals(content(TL1.get(1)), Files.readAllBytes(dest));
    assertFalse(Files.exists(work.resolve("want").resolve(TL1.get(1))), "want mark removed");
    assertFalse(Files.exists(work.resolve("wal").resolve(TL1.get(1))), "moved, not copied");
  }

  /** Pins that a waiting restore.sh gives up when the server shuts down (no postmaster.pid). */
  @Test
  void theRestoreScriptGivesUpWhenTheServerIsGone() throws Exception {
    Path work = spool(TL1.subList(0, 2));
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path pid = data.resolve("postmaster.pid");
    Files.writeString(pid, "4711\n");
    Process waiting = restore(work, data, TL1.get(1), data.resolve("RECOVERYXLOG"));   // no feeder
    await(() -> Files.exists(work.resolve("want").resolve(TL1.get(1))), "the want mark");
    assertFalse(waiting.waitFor(200, TimeUnit.MILLISECONDS), "it waits while the server runs");
    Files.delete(pid);
    assertTrue(waiting.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, waiting.exitValue());
  }
}
