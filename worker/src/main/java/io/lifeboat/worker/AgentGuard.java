package io.lifeboat.worker;

import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent per host (issue 17): before an agent starts to poll its host's queue, it asks
 * Temporal who polls that queue already (DescribeTaskQueue, activity pollers). A live agent
 * there means a second one would take half of the host's steps, maybe on another machine: the
 * new one refuses in one line and starts nothing.
 *
 * <p>Temporal keeps a poller listed for minutes after its last poll, so a listed identity is
 * not proof of life. An agent that is alive polls at least once a minute even when idle (a long
 * poll ends after about 60 s and the SDK polls again at once). So:
 * <ul>
 *   <li>a poller whose last poll is older than {@link #STALE} (the workflows' own rule,
 *       AgentActivitiesImpl) is gone;
 *   <li>the agent this machine ran before for the same queue is recognised by the record it
 *       left ({@link #recordDir}: its identity and its process's start time): if that process
 *       is gone, the listed poller is its ghost and the new agent starts at once (a restart after
 *       a crash, or systemd's Restart=on-failure, costs no wait); if it is alive, the new one
 *       refuses at once;
 *   <li>any other listed poller is watched for up to {@link #WATCH}: if its last poll moves on,
 *       it is alive (refuse); if not, it is taken for a stopped agent on another machine and the
 *       new one starts.
 * </ul>
 * Two agents started within the same second both see an empty queue and both start: the check
 * is at start, not a lock.
 */
final class AgentGuard {
  private static final Logger log = LoggerFactory.getLogger(AgentGuard.class);

  /** A poller silent this long is gone (as the workflows' agent check takes it). */
  static final Duration STALE = Duration.ofSeconds(120);
  /** Longer than an idle agent's long poll (60 s on the server, 70 s the SDK's own timeout). */
  static final Duration WATCH = Duration.ofSeconds(80);
  static final Duration EVERY = Duration.ofSeconds(2);

  /** The queue's activity pollers: identity to the time of its last poll (server's clock). */
  interface Pollers {
    Map<String, Instant> list();
  }

  /** What this machine knows of a process: alive, and when it started (null: unknown). */
  interface Processes {
    Optional<Instant> startOf(long pid);
  }

  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** The agent this machine ran last for a queue, as its record file says. */
  record Previous(String identity, long pid, Instant started) {}

  private final Pollers pollers;
  private final Processes processes;
  private final Sleeper sleeper;
  private final java.util.function.Supplier<Instant> clock;

  AgentGuard(Pollers pollers, Processes processes, Sleeper sleeper,
      java.util.function.Supplier<Instant> clock) {
    this.pollers = pollers;
    this.processes = processes;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** The guard of a real agent: Temporal's view of {@code queue}, this machine's processes. */
  static AgentGuard of(WorkflowServiceStubs service, String namespace, String queue) {
    return new AgentGuard(() -> describe(service, namespace, queue), AgentGuard::processStart,
        d -> Thread.sleep(d.toMillis()), Instant::now);
  }

  /**
   * Null when {@code host} has no live agent on {@code queue}, else the one line that says which
   * agent serves it. May take up to {@link #WATCH} to decide.
   *
   * @param previous the agent this machine ran last for the queue, or null
   */
  String refusal(String host, String queue, Previous previous) throws InterruptedException {
    Instant now = clock.get();
    Map<String, Instant> listed = new LinkedHashMap<>();
    pollers.list().forEach((identity, last) -> {
      if (last == null || Duration.between(last, now).compareTo(STALE) < 0) {
        listed.put(identity, last);
      }
    });
    if (previous != null && listed.containsKey(previous.identity())) {
      Optional<Instant> start = processes.startOf(previous.pid());
      boolean same = start.isPresent() && (previous.started() == null || start.get() == null
          || start.get().equals(previous.started()));
      if (same) {
        return "host '" + host + "' already has an agent on this machine: " + previous.identity()
            + " (pid " + previous.pid() + ") polls " + queue + "; stop it first (systemctl stop"
            + " lifeboat-agent@" + host + ", or kill " + previous.pid() + ")";
      }
      log.info("{} is still listed for {} but its process is gone: the agent this machine ran"
          + " before, not a live one", previous.identity(), queue);
      listed.remove(previous.identity());
    }
    if (listed.isEmpty()) return null;
    log.info("{} listed for {} (last polls {}): watching up to {} s whether they still poll",
        listed.keySet(), queue, listed.values(), WATCH.toSeconds());
    Instant until = now.plus(WATCH);
    while (clock.get().isBefore(until)) {
      sleeper.sleep(EVERY);
      for (Map.Entry<String, Instant> p : pollers.list().entrySet()) {
        Instant before = listed.get(p.getKey());
        boolean polledAgain = listed.containsKey(p.getKey()) && p.getValue() != null
            && (before == null || p.getValue().isAfter(before));
        boolean newcomer = !listed.containsKey(p.getKey()) && (previous == null
            || !p.getKey().equals(previous.identity()))
            && (p.getValue() == null || Duration.between(p.getValue(), clock.get())
                .compareTo(STALE) < 0);
        if (polledAgain || newcomer) {
          return "host '" + host + "' already has an agent: " + p.getKey() + " polls " + queue
              + (p.getValue() == null ? "" : " (last poll " + p.getValue() + ")")
              + "; stop it first (systemctl stop lifeboat-agent@" + host + " on its machine):"
              + " one agent per host";
        }
      }
    }
    log.info("{} did not poll {} for {} s: taken for stopped agents", listed.keySet(), queue,
        WATCH.toSeconds());
    return null;
  }

  static Map<String, Instant> describe(WorkflowServiceStubs service, String namespace,
      String queue) {
    var r = service.blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
        .setNamespace(namespace)
        .setTaskQueue(TaskQueue.newBuilder().setName(queue).build())
        .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
        .build());
    Map<String, Instant> out = new LinkedHashMap<>();
    for (PollerInfo p : r.getPollersList()) {
      out.put(p.getIdentity(), p.hasLastAccessTime() ? Instant.ofEpochSecond(
          p.getLastAccessTime().getSeconds(), p.getLastAccessTime().getNanos()) : null);
    }
    return out;
  }

  static Optional<Instant> processStart(long pid) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant().orElse(null));
  }

  // ---------------------------------------------------------------------------------------
  // The record of the agent this machine runs for a queue

  /**
   * Where agents keep their records: {@code LIFEBOAT_AGENT_RUN_DIR}, else
   * {@code <java.io.tmpdir>/lifeboat-agents}. A directory this process does not own, or that
   * others may write, is not trusted (the guard then watches, as for an unknown poller).
   */
  static Path recordDir(Map<String, String> env) {
    String dir = env.get("LIFEBOAT_AGENT_RUN_DIR");
    return dir != null && !dir.isBlank() ? Path.of(dir)
        : Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-agents");
  }

  static Path recordFile(Path dir, String queue) {
    return dir.resolve(queue.replaceAll("[^A-Za-z0-9._-]", "_") + ".agent");
  }

  static Previous readRecord(Path dir, String queue) {
    Path file = recordFile(dir, queue);
    try {
      if (!trusted(dir) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
      List<String> lines = Files.readAllLines(file);
      if (lines.size() < 2) return null;
      String identity = lines.get(0).strip();
      long pid = Long.parseLong(identity.substring(identity.lastIndexOf('/') + 1));
      Instant started = lines.get(1).isBlank() ? null : Instant.parse(lines.get(1).strip());
      return new Previous(identity, pid, started);
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** Best effort: an agent whose record cannot be written only loses the fast restart. */
  static void writeRecord(Path dir, String queue, String identity) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      if (!trusted(dir)) return;
      String started = ProcessHandle.current().info().startInstant().map(Instant::toString)
          .orElse("");
      Path tmp = Files.createTempFile(dir, "record", ".tmp");
      Files.writeString(tmp, identity + "\n" + started + "\n");
      Files.move(tmp, recordFile(dir, queue), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("cannot keep the agent's record in {}: {} (a restart will watch the old poller"
          + " for up to {} s)", dir, e.getMessage(), WATCH.toSeconds());
    }
  }

  private static boolean trusted(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
    String me = System.getProperty("user.name");
    if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(me)) return false;
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    return !perms.contains(PosixFilePermission.GROUP_WRITE)
        && !perms.contains(PosixFilePermission.OTHERS_WRITE);
  }
}
