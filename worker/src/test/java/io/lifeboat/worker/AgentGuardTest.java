package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's decisions on a fake clock: who is alive, who is a ghost of a killed agent. */
class AgentGuardTest {
  private static final String Q = "lifeboat-host-app1";
  private static final Instant T0 = Instant.parse("2026-12-06T06:00:00Z");

  private Instant now = T0;
  private final List<Duration> slept = new ArrayList<>();

  /** A guard whose queue lists what {@code pollersAt} says at each moment of the fake clock. */
  private AgentGuard guard(Function<Instant, Map<String, Instant>> pollersAt,
      Map<Long, Instant> processes) {
    return new AgentGuard(() -> pollersAt.apply(now),
        pid -> Optional.ofNullable(processes.get(pid)),
        d -> {
          slept.add(d);
          now = now.plus(d);
        }, () -> now);
  }

  @Test
  void anEmptyQueueStartsAtOnce() throws Exception {
    assertNull(guard(t -> Map.of(), Map.of()).refusal("app1", Q, null));
    assertEquals(List.of(), slept);
  }

  @Test
  void aPollerSilentLongerThanTheStaleLimitIsGone() throws Exception {
    Map<String, Instant> old = Map.of("agent@app1/7", T0.minusSeconds(121));
    assertNull(guard(t -> old, Map.of()).refusal("app1", Q, null));
    assertEquals(List.of(), slept);
  }

  @Test
  void thisMachinesLiveAgentIsRefusedAtOnce() throws Exception {
    Instant started = T0.minusSeconds(600);
    String why = guard(t -> Map.of("agent@app1/42", T0.minusSeconds(30)), Map.of(42L, started))
        .refusal("app1", Q, new AgentGuard.Previous("agent@app1/42", 42, started));
    assertNotNull(why);
    assertTrue(why.contains("already has an agent on this machine: agent@app1/42"), why);
    assertTrue(why.contains("stop it first"), why);
    assertEquals(List.of(), slept, "no wait");
  }

  @Test
  void theGhostOfThisMachinesKilledAgentIsIgnoredAtOnce() throws Exception {
    assertNull(guard(t -> Map.of("agent@app1/42", T0.minusSeconds(5)), Map.of())
        .refusal("app1", Q, new AgentGuard.Previous("agent@app1/42", 42, T0.minusSeconds(60))));
    assertEquals(List.of(), slept, "a restart after a crash does not wait");
  }

  @Test
  void aReusedPidIsNotTheAgent() throws Exception {
    // pid 42 now belongs to a process that started after the agent did
    assertNull(guard(t -> Map.of("agent@app1/42", T0.minusSeconds(5)),
        Map.of(42L, T0.minusSeconds(1)))
        .refusal("app1", Q, new AgentGuard.Previous("agent@app1/42", 42, T0.minusSeconds(60))));
  }

  @Test
  void anUnknownPollerThatPollsAgainIsAlive() throws Exception {
    // another machine's agent: last poll 30 s ago, polls again 40 s later (its long poll ended)
    String why = guard(t -> Map.of("agent@app1/9",
        t.isBefore(T0.plusSeconds(40)) ? T0.minusSeconds(30) : T0.plusSeconds(40)), Map.of())
        .refusal("app1", Q, null);
    assertNotNull(why);
    assertTrue(why.startsWith("host 'app1' already has an agent: agent@app1/9 polls " + Q), why);
    assertTrue(Duration.between(T0, now).toSeconds() <= 42, "decided once it polled: " + now);
  }

  @Test
  void anUnknownPollerSilentForTheWholeWatchIsTakenForStopped() throws Exception {
    assertNull(guard(t -> Map.of("agent@app1/9", T0.minusSeconds(10)), Map.of())
        .refusal("app1", Q, null));
    Duration waited = Duration.between(T0, now);
    assertTrue(waited.compareTo(AgentGuard.WATCH) >= 0, "watched a whole long poll: " + waited);
  }

  @Test
  void anAgentThatAppearsWhileWatchingIsAlive() throws Exception {
    String why = guard(t -> {
      Map<String, Instant> m = new LinkedHashMap<>();
      m.put("agent@app1/9", T0.minusSeconds(10));
      if (!t.isBefore(T0.plusSeconds(6))) m.put("agent@app1/11", T0.plusSeconds(6));
      return m;
    }, Map.of()).refusal("app1", Q, null);
    assertNotNull(why);
    assertTrue(why.contains("agent@app1/11"), why);
  }

  @Test
  void theRecordRoundTrips(@TempDir Path dir) throws Exception {
    Path records = dir.resolve("agents");
    assertNull(AgentGuard.readRecord(records, Q));
    AgentGuard.writeRecord(records, Q, "agent@app1/" + ProcessHandle.current().pid());
    AgentGuard.Previous p = AgentGuard.readRecord(records, Q);
    assertNotNull(p);
    assertEquals(ProcessHandle.current().pid(), p.pid());
    assertEquals(AgentGuard.processStart(p.pid()).orElse(null), p.started());
    assertNull(AgentGuard.readRecord(records, "lifeboat-host-db1"), "one record per queue");
  }

  @Test
  void aRecordDirectoryOthersMayWriteIsNotTrusted(@TempDir Path dir) throws Exception {
    Path records = dir.resolve("agents");
    AgentGuard.writeRecord(records, Q, "agent@app1/1");
    java.nio.file.Files.setPosixFilePermissions(records,
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    assertNull(AgentGuard.readRecord(records, Q));
  }
}
