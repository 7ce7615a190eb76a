package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.wal.MemoryStore;
import io.lifeboat.wal.WalArchive;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of a point-in-time recovery that need no server: what the recovering server is told
 * (its command-line recovery settings, the target in PostgreSQL's own time syntax, the lines
 * appended to postgresql.auto.conf), how its log is read (above all the line "recovery ended
 * before configured recovery target was reached", which decides between "the archive ends too
 * early" and "replay again to the end of the archive"), the rerun marker, and whether the end of
 * the archive covers a time target. Until now these ran only in the stack lane.
 */
class PitrRecoveryPartsTest {
  private static final String DB = "farmtally_production";
  private static final Path WORK = Path.of("/var/lib/lifeboat/recovery/r1");

  @TempDir Path tmp;

  private static PitrRequest request(RecoveryTarget target) {
    return new PitrRequest(new DatabaseConfig(DB, "127.0.0.1", 5432, "u", null, null, List.of()),
        new RepositoryConfig("http://127.0.0.1:9", "b", "p", null, true, "A", "S", null, null,
            null, null, null),
        null, target, null, "r1");
  }

  private static String typeOf(Runnable r) {
    return assertThrows(ApplicationFailure.class, r::run).getType();
  }

  // --- what the recovering server is told ------------------------------------------------

  /** Pins the whole command line: archiving off, the spool's restore_command, promote, latest. */
  @Test
  void aTimeTargetGoesOnTheCommandLineInPostgresSyntax() {
    assertEquals(List.of(
        "-c archive_mode=off",
        "-c hot_standby=on",
        "-c restore_command='/var/lib/lifeboat/recovery/r1/restore.sh %f %p'",
        "-c recovery_target_action=promote",
        "-c recovery_target_timeline=latest",
        "-c recovery_target_time='2026-11-21 09:14:00.500000+00'"),
        RecoverySettings.serverOptions(
            request(RecoveryTarget.time("2026-11-21T09:14:00.5Z")), WORK));
  }

  /** A restore point (lifeboat snapshot) is PostgreSQL's recovery_target_name, not its LSN. */
  @Test
  void aRestorePointTargetIsRecoveryTargetName() {
    List<String> o = RecoverySettings.serverOptions(
        request(RecoveryTarget.point("before-upgrade", "0/3000060")), WORK);
    assertEquals("-c recovery_target_name='before-upgrade'", o.get(o.size() - 1));
    assertTrue(o.stream().noneMatch(x -> x.contains("recovery_target_lsn=")), o.toString());
    assertEquals("restore point before-upgrade (LSN 0/3000060)",
        RecoveryTarget.point("before-upgrade", "0/3000060").describe());
  }

  /** Pins the LSN form, and that "latest" and the second replay (withTarget false) set none. */
  @Test
  void anLsnTargetIsQuotedAndLatestOrTheReplayToTheEndSetsNoTarget() {
    List<String> lsn = RecoverySettings.serverOptions(request(RecoveryTarget.lsn("0/3000060")),
        WORK);
    assertEquals("-c recovery_target_lsn='0/3000060'", lsn.get(lsn.size() - 1));
    List<String> latest = RecoverySettings.serverOptions(request(RecoveryTarget.latest()), WORK);
    assertEquals(5, latest.size());
    assertTrue(latest.stream().noneMatch(o -> o.contains("recovery_target_time=")
        || o.contains("recovery_target_lsn=")));
    List<String> toTheEnd = RecoverySettings.serverOptions(
        request(RecoveryTarget.time("2026-11-21T09:14:00Z")), WORK, false);
    assertEquals(latest, toTheEnd);
  }

  /** Pins the microsecond, UTC rendering PostgreSQL's timestamptz input takes (no T, no Z). */
  /** The scratch server answers where the recovered one will (a target on another host). */
  @Test
  void theScratchServerListensWhereTheRecoverySettingsSay() {
    DatabaseConfig db = new DatabaseConfig(DB, "10.0.0.7", 5432, "u", null, null, List.of(),
        new DatabaseConfig.RecoveryConfig("/opt/dr/postgresql/data", "postgres", null, null,
            null, List.of("archive_mode=off", "listen_addresses=10.0.0.7",
                "unix_socket_directories=/opt/dr/postgresql")), "dr");
    List<String> o = RecoverySettings.serverOptions(new PitrRequest(db, request(
        RecoveryTarget.latest()).repository(), null, RecoveryTarget.latest(), null, "r1"), WORK);
    assertTrue(o.contains("-c listen_addresses='10.0.0.7'"), o.toString());
    assertTrue(o.contains("-c unix_socket_directories='/opt/dr/postgresql'"), o.toString());
    // archiving stays off on the scratch server whatever the live one is told
    assertEquals(1, o.stream().filter(x -> x.contains("archive_mode")).count(), o.toString());
    assertFalse(RecoverySettings.serverOptions(request(RecoveryTarget.latest()), WORK).stream()
        .anyMatch(x -> x.contains("listen_addresses")));
  }

  @Test
  void pgTimeDropsIsoTAndZAndKeepsMicroseconds() {
    assertEquals("2026-12-05 22:58:39.220593+00",
        RecoverySettings.pgTime("2026-12-05T22:58:39.220593Z"));
    assertEquals("2026-11-21 09:14:00.000000+00", RecoverySettings.pgTime("2026-11-21T09:14:00Z"));
  }

  /** Pins the refusal of a quote: pg_ctl hands -o to sh inside single quotes. */
  @Test
  void aQuoteInTheSpoolPathOrTheLsnIsRefusedAsConfigInvalid() {
    assertEquals(FailureKind.CONFIG_INVALID.type(), typeOf(() -> RecoverySettings.serverOptions(
        request(RecoveryTarget.latest()), Path.of("/srv/it's/r1"))));
    assertEquals(FailureKind.CONFIG_INVALID.type(), typeOf(() -> RecoverySettings.serverOptions(
        request(RecoveryTarget.lsn("0/1' ; rm -rf /")), WORK)));
  }

  /** Pins the lines appended to postgresql.auto.conf, and that a rerun appends nothing. */
  @Test
  void serverSettingsAreAppendedOnceQuotedUnderAComment() {
    List<String> settings = List.of("shared_buffers = 256MB", " work_mem=8MB ");
    String first = RecoverySettings.autoConfAddition("", settings);
    assertEquals("# lifeboat recovery: databases[].recovery.serverSettings\n"
        + "shared_buffers = '256MB'\nwork_mem = '8MB'\n", first);
    String existing = "# Do not edit this file manually!\nlisten_addresses = '*'";
    String after = RecoverySettings.autoConfAddition(existing, settings);
    assertTrue(after.startsWith("\n# lifeboat recovery"), "a file without a final newline gets one");
    assertEquals("", RecoverySettings.autoConfAddition(existing + after, settings));
    assertEquals("# lifeboat recovery: databases[].recovery.serverSettings\nwork_mem = '8MB'\n",
        RecoverySettings.autoConfAddition("shared_buffers = '256MB'\n", settings));
  }

  // --- what its log says -------------------------------------------------------------------

  private static final String ENDED_EARLY = """
      2026-12-05 23:01:02.123 UTC [4711] LOG:  starting point-in-time recovery to 2026-12-05 22:58:39.220593+00
      2026-12-05 23:01:02.456 UTC [4711] LOG:  redo starts at 0/2000028
      2026-12-05 23:01:03.001 UTC [4711] LOG:  redo done at 0/7000148
      2026-12-05 23:01:03.002 UTC [4711] FATAL:  recovery ended before configured recovery target was reached
      2026-12-05 23:01:03.010 UTC [4710] LOG:  startup process (PID 4711) exited with exit code 1
      """;

  /** Pins the line that makes the recovery try the end of the archive, or name the archive. */
  @Test
  void recoveryEndedBeforeTheTargetIsTheArchiveEndingTooEarly() {
    assertTrue(ServerLog.endedBeforeTarget(ENDED_EARLY));
    ApplicationFailure f = (ApplicationFailure) ServerLog.serverDied(ENDED_EARLY,
        Path.of("scratch.log"));
    assertEquals(FailureKind.RECOVERY_TARGET_INVALID.type(), f.getType());
    assertTrue(f.getOriginalMessage().startsWith("the archive ends before the target: "
        + "2026-12-05 23:01:03.002 UTC [4711] FATAL:  recovery ended before"), f.getOriginalMessage());
  }

  /** Pins that any other death is RECOVERY_FAILED with the last FATAL/PANIC line and the log. */
  @Test
  void anyOtherDeathIsRecoveryFailedWithItsLastFatalLine() {
    String log = """
        LOG:  redo starts at 0/2000028
        FATAL:  could not open file "pg_wal/000000010000000000000003": Permission denied
        PANIC:  could not locate a valid checkpoint record
        LOG:  startup process (PID 12) was terminated by signal 6: Aborted
        """;
    assertFalse(ServerLog.endedBeforeTarget(log));
    ApplicationFailure f = (ApplicationFailure) ServerLog.serverDied(log, Path.of("/w/scratch.log"));
    assertEquals(FailureKind.RECOVERY_FAILED.type(), f.getType());
    assertEquals("the recovering server stopped: PANIC:  could not locate a valid checkpoint"
        + " record (log /w/scratch.log)", f.getOriginalMessage());
    // no FATAL at all: the last line says it
    ApplicationFailure quiet = (ApplicationFailure) ServerLog.serverDied("LOG:  a\nLOG:  b\n",
        Path.of("l"));
    assertTrue(quiet.getOriginalMessage().startsWith("the recovering server stopped: LOG:  b"));
  }

  /** Pins what the report says about where a target stopped replay: the last such line. */
  @Test
  void theStoppingLineIsTheLastRecoveryStoppingMessage() {
    String log = "LOG:  recovery stopping before commit of transaction 749, time 2026-12-05\n"
        + "2026-12-05 UTC [1] LOG:  recovery stopping before commit of transaction 750, time X\n"
        + "LOG:  pausing at the end of recovery\n";
    assertEquals("recovery stopping before commit of transaction 750, time X",
        ServerLog.stoppingLine(log));
    assertNull(ServerLog.stoppingLine(ENDED_EARLY));
  }

  /** Pins that only the last 16 KiB are read: an hour-long replay log does not fill memory. */
  @Test
  void theLogIsReadFromItsLast16KiB() throws Exception {
    Path log = tmp.resolve("scratch.log");
    Files.writeString(log, "FATAL:  early death that is no longer in the tail\n"
        + "x".repeat(20 * 1024) + "\nLOG:  the end\n", StandardCharsets.UTF_8);
    String tail = ServerLog.tail(log);
    assertEquals(16 * 1024, tail.getBytes(StandardCharsets.UTF_8).length);
    assertTrue(tail.endsWith("LOG:  the end\n"));
    assertFalse(tail.contains("early death"));
    assertEquals("", ServerLog.tail(tmp.resolve("no-such.log")));
  }

  // --- the rerun marker ----------------------------------------------------------------------

  /** Pins the marker's round trip and that a rerun finds the state a killed attempt wrote. */
  @Test
  void theMarkerRecordsHowFarTheRecoveryGot() throws Exception {
    ClusterControl me = new ClusterControl(System.getProperty("user.name"), tmp.toString(), null);
    assertEquals("", RecoveryMarker.state(tmp));
    RecoveryMarker.writeState(me, tmp, "downloaded 20261205T225830Z.000-aaaaaaaa");
    assertEquals("downloaded 20261205T225830Z.000-aaaaaaaa", RecoveryMarker.state(tmp));
    assertFalse(RecoveryMarker.replayingOrLater(tmp));
    RecoveryMarker.writeState(me, tmp, "replaying 20261205T225830Z.000-aaaaaaaa");
    assertTrue(RecoveryMarker.replayingOrLater(tmp));
    RecoveryMarker.writeState(me, tmp, "promoted 20261205T225830Z.000-aaaaaaaa");
    assertTrue(RecoveryMarker.replayingOrLater(tmp));
    assertEquals("promoted 20261205T225830Z.000-aaaaaaaa\n",
        Files.readString(tmp.resolve(RecoveryMarker.MARKER)));
    assertFalse(Files.exists(tmp.resolve(RecoveryMarker.MARKER + ".tmp")), "renamed into place");
  }

  // --- whether the end of the archive is the data at the target ----------------------------

  private static final String NEWEST = "000000010000000000000007";

  private static WalArchive archiveWithNewestWrittenAt(MemoryStore store, String writtenAt) {
    WalArchive archive = new WalArchive(store, "p", DB, 1);
    for (String name : List.of("000000010000000000000006", NEWEST)) {
      Map<String, String> meta = new java.util.HashMap<>();
      meta.put(RepositoryLayout.META_SHA256, "00");
      if (name.equals(NEWEST) && writtenAt != null) {
        meta.put(RepositoryLayout.META_WRITTEN_AT, writtenAt);
      }
      store.putWithMetadata(archive.key(name), new byte[1], meta);
    }
    return archive;
  }

  /** Pins the rule: a time target at or before the newest segment's write time is covered. */
  @Test
  void theEndOfTheArchiveCoversATargetBeforeTheNewestSegmentWasWritten() {
    MemoryStore store = new MemoryStore();
    WalArchive archive = archiveWithNewestWrittenAt(store, "2026-12-05T22:58:39.412345Z");
    List<String> index = List.of("000000010000000000000006", NEWEST, "00000002.history");
    String said = PitrRecovery.endOfArchiveCovers(
        request(RecoveryTarget.time("2026-12-05T22:58:39.220593Z")), archive, index);
    assertEquals("recovery reached the end of the archive (" + NEWEST + ", written until"
        + " 2026-12-05T22:58:39.412345Z) with no commit after the target"
        + " 2026-12-05T22:58:39.220593Z", said);
    assertNull(PitrRecovery.endOfArchiveCovers(
        request(RecoveryTarget.time("2026-12-05T22:58:39.412346Z")), archive, index),
        "a target after the last write is beyond the archive");
    assertNull(PitrRecovery.endOfArchiveCovers(request(RecoveryTarget.lsn("0/7000000")),
        archive, index), "only a time target can be judged by write times");
  }

  /** Pins that a newest segment without a recorded write time proves nothing. */
  @Test
  void aNewestSegmentWithoutItsWriteTimeDoesNotCoverTheTarget() {
    MemoryStore store = new MemoryStore();
    WalArchive archive = archiveWithNewestWrittenAt(store, null);
    assertNull(PitrRecovery.endOfArchiveCovers(
        request(RecoveryTarget.time("2020-01-01T00:00:00Z")), archive,
        List.of("000000010000000000000006", NEWEST)));
  }
}
