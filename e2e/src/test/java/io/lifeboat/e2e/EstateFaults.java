package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.DumpProgress;
import io.lifeboat.e2e.FaultTable.Outcome;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's entries on an estate of machines (issue 17, tests/estate/estate.bash via
 * {@link Estate}): each host a network and mount namespace whose forwarders carry the suite's own
 * Temporal, S3 (and ACME) ports, so the faults stay on the suite's stack. Two rows:
 *
 * <ul>
 *   <li>{@link #agentKilledMidStep}: `recover server` onto the estate host dr, whose agent is
 *       SIGKILLed while the database child's {@code RecoveryDownloadBase} runs on it (the
 *       download capped at 1 MB/s so it lasts), and started again as a supervisor would;</li>
 *   <li>{@link #linkDownMidUpload}: the production database host db1's link is taken down while
 *       the control worker streams its dump into the repository, and brought back.</li>
 * </ul>
 */
final class EstateFaults {
  private final FaultStack faults;
  private final RealStack stack;
  private final WorkerJvm workers;

  EstateFaults(FaultStack faults, RealStack stack, WorkerJvm workers) {
    this.faults = faults;
    this.stack = stack;
    this.workers = workers;
  }

  private WorkflowClient client() {
    return stack.temporal().client();
  }

  private Ledger ledger() throws Exception {
    return Ledger.of(stack.store(), stack.prefix);
  }

  /** The estate's forwarders carry the suite's ports (not the shared stack's), and more. */
  private Estate estate(String... hosts) throws Exception {
    return estate(List.of(), hosts);
  }

  private Estate estate(List<Integer> more, String... hosts) throws Exception {
    StringBuilder ports = new StringBuilder(faults.temporalPort + " " + faults.s3Port);
    for (int p : more) ports.append(' ').append(p);
    return new Estate(stack.dir, Map.of("LIFEBOAT_ESTATE_PORTS", ports.toString()), hosts);
  }

  // ---------------------------------------------------------------------------------------
  // The DR host's agent SIGKILLed while a host-bound step of `recover server` runs on it

  static final String AGENT_FAULT =
      "the DR host's agent SIGKILLed while a host-bound step runs on it, restarted";
  static final String AGENT_WORKFLOW = "ServerRecovery onto estate host dr";
  static final String AGENT_STEP = "database: RecoveryDownloadBase on agent@dr";
  /** Where the target's files live on dr (dr's own /opt). */
  private static final String DR_ROOT = "/opt/dr";

  /**
   * Production is this machine (an archiving cluster with FarmTally-shaped rows, a base backup,
   * one row after it that only WAL replay brings, an app backup); dr is an estate host with
   * sshd and `lifeboat agent --host dr`. `recover server` onto dr: provisioning approved, the
   * playbook over SSH with dr's key pinned, then the database child's download of the base
   * backup on dr's agent (capped at 1 MB/s, over 10 MB stored); once Temporal lists that
   * activity as started, the agent is SIGKILLed and a new `lifeboat agent --host dr` started.
   * The download must be retried on the new agent (attempt 2 or more, completed by its
   * identity on dr's queue), the run must succeed, and the app answer over HTTPS through dr's
   * nginx with the production rows, every one of them (a checksum of the users table).
   */
  void agentKilledMidStep() throws Exception {
    LocalAcme acme = faults.acme();
    Estate estate = null;
    ArchivingCluster cluster = null;
    SampleApp app = new SampleApp(stack, Map.of(), "farmtally-estate");
    String target = "drk" + stack.tag.substring(2);
    String id = "recover-server-" + target;
    String domain = "k" + stack.tag + ".farmtally.test";
    String db = stack.tag + "_estate";
    String dbId = id + "-db-" + db;
    int httpsPort = SampleApp.freePort();
    int appPort = SampleApp.freePort();
    int pgPort = SampleApp.freePort();
    boolean killed = false;
    Process control = null;
    try {
      estate = estate(List.of(URI.create(acme.directory).getPort()), "dr");
      String address = estate.address("dr");
      int sourcePort = ArchivingCluster.freePort();
      Path inventory = stack.dir.resolve("estate-inventory.ini");
      // dr as ansible reaches it: over SSH, the key pinned in the harness's known_hosts
      Files.writeString(inventory, "[recovery]\ndr ansible_host=" + address
          + " ansible_user=root ansible_ssh_private_key_file=" + Estate.RUN.resolve("client_key")
          + " ansible_python_interpreter=/usr/bin/python3 ansible_remote_tmp=/opt/.ansible-tmp"
          + " ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes"
          + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile="
          + Estate.RUN.resolve("known_hosts") + " -o GlobalKnownHostsFile=/dev/null'\n");
      int metricsPort = ArchivingCluster.freePort();
      Path config = stack.config("estate-agent", c -> {
        c.put("estate", "k" + stack.tag);
        ArchivingCluster.point(c, db, sourcePort);
        // the restore on dr reads at 1 MB/s: it lasts long enough to be hit, never a sleep
        ((ObjectNode) c.get("databases").get(0)).putObject("recovery")
            .put("downloadMbPerSecond", 1);
        app.addTo(c);
        c.putObject("metrics").put("port", metricsPort);
        c.putObject("retries").put("maxAttempts", 5).put("initialIntervalSeconds", 1)
            .put("maxIntervalSeconds", 2);
        ObjectNode h = c.putArray("hosts").addObject();
        h.put("name", "dr").put("address", address);
        h.putArray("roles").add("database").add("application").add("proxy");
        ObjectNode t = c.putArray("servers").addObject();
        t.put("name", target).put("host", "dr").put("address", address).put("root", DR_ROOT)
            .put("domain", domain).put("httpPort", acme.httpPort).put("httpsPort", httpsPort)
            .put("appPort", appPort).put("database", db).put("application", app.name)
            .put("inventory", inventory.toString())
            .put("playbook", Path.of("../examples/farmtally/ansible/site.yml").toAbsolutePath()
                .normalize().toString());
        t.putObject("postgres").put("port", pgPort)
            .put("binDir", Path.of(RealStack.pg("pg_ctl")).getParent().toString())
            .put("osUser", "postgres")
            // production lives on: the copy must not archive into its archive
            .putArray("settings").add("archive_mode=off");
        t.putObject("acme").put("directory", acme.directory).put("caBundle", acme.ca.toString())
            .put("rootUrl", acme.rootUrl);
      });
      cluster = new ArchivingCluster(stack.tag + "e", db, sourcePort, config);
      // production's pg_hba lets the estate's network in; the base backup carries it to dr
      Files.writeString(cluster.data.resolve("pg_hba.conf"),
          "host all all 10.231.77.0/24 trust\n", java.nio.file.StandardOpenOption.APPEND);
      cluster.psql("select pg_reload_conf()");
      // dr has nginx installed (the package's mime.types, which the playbook copies)
      Path mime = stack.dir.resolve("estate-mime.types");
      Files.copy(Path.of("/etc/nginx/mime.types"), mime,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      estate.exec("dr", "install", "-m", "0644", mime.toString(), "/etc/nginx/mime.types");

      Map<String, String> env = SampleApp.workerEnv();
      env.put("LIFEBOAT_PM2_BIN", pm2());
      control = workers.start(config, stack.taskQueue, "estate-control", env);
      Map<String, String> agentEnv = Map.of("LIFEBOAT_PM2_BIN", pm2());
      String q = stack.taskQueue;
      Process first = estate.startAgent("dr", config, q, "estate-agent-1", agentEnv);
      String firstId = "agent@dr/" + first.pid();

      // production: rows, a base backup over 10 MB stored, a row after it, the app's backup
      PitrFixture.createDatabase(cluster);
      Path fixture = stack.dir.resolve("estate-fixture.sql");
      try (InputStream in = getClass().getResourceAsStream("/fixture.sql")) {
        Files.copy(in, fixture, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      ArchivingCluster.sh("chmod", "644", fixture.toString());
      ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v",
          "rows=2000", "-h", "127.0.0.1", "-p", String.valueOf(cluster.port), "-U", "postgres",
          "-d", db, "-f", fixture.toString());
      // random hex zstd cannot shrink much: the stored base backup is large enough to take
      // more than ten seconds at 1 MB/s
      PitrFixture.psql(cluster, "create table noise as select g, md5(random()::text)"
          + " || md5(random()::text) as r from generate_series(1, 100000) g");
      PitrFixture.baseBackup(stack, config, db);
      PitrFixture.psql(cluster, "insert into users(email, created_at)"
          + " values ('after-base-backup@farmtally.test', now())");
      PitrFixture.archiveAll(cluster);
      RealStack.Run appBackup = stack.cli("backup", "app", app.name, "--wait", "--config",
          config.toString());
      assertEquals(0, appBackup.exit(), "backup app: " + appBackup.out() + appBackup.err());
      String usersSql = "select count(*) || ':' || md5(string_agg(email, ',' order by id))"
          + " from users";
      String users = PitrFixture.psql(cluster, usersSql);
      String noise = PitrFixture.psql(cluster, "select md5(string_agg(r, ',' order by g))"
          + " from noise");
      Ledger before = ledger();

      RealStack.Run start = cli(config, "recover", "server", "--target", target);
      assertEquals(0, start.exit(), start.out() + start.err());
      ServerTarget.awaitWaiting(client(), id, "provision");
      RealStack.Run ok = cli(config, "approve", id, "provision", "--by", "dana", "--value",
          address);
      assertEquals(0, ok.exit(), ok.out() + ok.err());

      // The database child's download runs on dr's agent: kill the agent in the middle of it.
      String download = "RecoveryDownloadBase";
      PendingActivityInfo running = awaitRunning(dbId, id, download, first, estate,
          "estate-agent-1");
      assertEquals(1, running.getAttempt(), "the first attempt is the one killed");
      assertEquals(Estate.netnsOf("dr"), Estate.netnsOfPid(first.pid()), "the agent is dr's");
      WorkerJvm.kill(first);
      killed = true;
      // The download is still running from Temporal's side: the kill was mid-step.
      assertTrue(WorkerJvm.pending(client(), dbId).stream().anyMatch(a -> a.getActivityType()
          .getName().equals(download)), "the download had already completed when the agent"
              + " was killed");
      String at = WorkerJvm.heartbeat(client(), dbId, download,
          io.lifeboat.recover.db.RestoreProgress.class)
          .map(p -> "its last heartbeat at " + p.bytesDone() + " of " + p.bytesTotal()
              + " stored bytes")
          .orElse("no heartbeat recorded yet");
      // ...and started again, as a supervisor (systemd's Restart=, the role's supervise) does
      Process again = estate.startAgent("dr", config, q, "estate-agent-2", agentEnv);
      String againId = "agent@dr/" + again.pid();
      awaitCompleted(dbId, id, download, again, estate, "estate-agent-2");

      ServerTarget.awaitWaiting(client(), id, "dns");
      pointDns(acme, domain, address);
      RealStack.Run dns = cli(config, "approve", id, "dns", "--by", "dana", "--value", address);
      assertEquals(0, dns.exit(), dns.out() + dns.err());
      ServerRecoveryResult r = client().newUntypedWorkflowStub(id)
          .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
      assertEquals("succeeded", r.report().outcome(), r.report().notes()
          + "\nagent after the kill:\n" + estate.log("estate-agent-2"));
      assertTrue(r.health().healthy(), r.health().toString());

      // The step resumed on the restarted agent: retried, completed by its identity on dr's
      // queue; after the kill, nothing host-bound completed anywhere else.
      int attempt = attempts(dbId).getOrDefault(download, 0);
      assertTrue(attempt >= 2, download + " was not run again after the kill: attempt "
          + attempt);
      String hostQueue = q + "-host-dr";
      var placement = ActivityHistory.placements();
      boolean afterKill = false;
      List<String> onAgain = new ArrayList<>();
      for (String wf : List.of(dbId, id)) {
        for (ActivityHistory.Ran ran : ActivityHistory.whoRanWhat(client(), wf)) {
          if (ran.type().equals(download)) {
            assertEquals(againId, ran.identity(), "the download completed on the restarted"
                + " agent");
            assertEquals(hostQueue, ran.queue());
            afterKill = true;
          }
          if (placement.get(ran.type()) == io.lifeboat.host.ActivityPlacement.Where.HOST_BOUND) {
            assertTrue(ran.identity().equals(firstId) || ran.identity().equals(againId),
                wf + ": " + ran.type() + " ran on " + ran.identity());
            assertEquals(hostQueue, ran.queue(), wf + ": " + ran.type());
            if (ran.identity().equals(againId)) onAgain.add(ran.type());
          }
        }
      }
      assertTrue(afterKill, "no completed " + download + " in " + dbId);
      for (String m : List.of("SwapRelease", "ServerStartNginx", "ServerIssueCertificate")) {
        assertTrue(onAgain.contains(m), m + " not on the restarted agent: " + onAgain);
      }

      // Every production row on dr, over HTTPS through dr's nginx and in its cluster.
      String count = users.split(":")[0];
      String stats = https(acme, domain, address, httpsPort, "/api/stats");
      assertTrue(stats.contains("\"users\":" + count), stats);
      assertEquals(users, drSql(address, pgPort, db, usersSql), "the users of production,"
          + " exactly (incl. the row after the base backup)");
      assertEquals(noise, drSql(address, pgPort, db, "select md5(string_agg(r, ',' order by g))"
          + " from noise"), "the noise table of production, exactly");
      assertFalse(Files.exists(Path.of(DR_ROOT)), DR_ROOT + " exists on the control machine");
      List<String> lost = before.lostIn(ledger());
      FaultTable.add(AGENT_FAULT, AGENT_WORKFLOW, AGENT_STEP, Outcome.COMPLETED, lost.size(),
          "killed " + firstId + " mid-download (attempt 1, " + at + "); " + download
              + " retried on the restarted " + againId + " (attempt " + attempt + "), which"
              + " also ran " + onAgain.size() + " later host-bound activities; ended"
              + " succeeded: users=" + count + " over HTTPS through dr's nginx, users and"
              + " noise checksums equal to production's" + (lost.isEmpty() ? ""
                  : "; LOST: " + lost));
      assertEquals(List.of(), lost, "previously good objects lost or changed");
    } catch (Throwable t) {
      FaultTable.add(AGENT_FAULT, AGENT_WORKFLOW, AGENT_STEP, Outcome.NOT_SURVIVED, 0,
          (killed ? "killed; " : "not reached; ") + firstLine(t));
      throw t;
    } finally {
      try {
        try {
          client().newUntypedWorkflowStub(id).terminate("test over");
        } catch (RuntimeException notRunning) {
          // finished already
        }
        try {
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(acme.dnsManagement
              + "/clear-a")).POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + domain
                  + ".\"}")).build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception ignored) {
          // challtestsrv gone: nothing to clear
        }
      } finally {
        try {
          if (control != null) control.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
          try {
            if (estate != null) estate.close(); // dr's agent, PostgreSQL, PM2, nginx go with it
          } finally {
            try {
              if (cluster != null) cluster.close();
            } finally {
              app.close();
            }
          }
        }
      }
    }
  }

  /**
   * Waits until {@code activity} of {@code workflowId} (a child that may not exist yet) is
   * started (a worker took it); fails at once when the parent closed or the agent died.
   */
  private PendingActivityInfo awaitRunning(String workflowId, String parent, String activity,
      Process agent, Estate estate, String agentLog) throws Exception {
    for (int i = 0; i < 6000; i++) {
      if (!agent.isAlive()) {
        throw new AssertionError("dr's agent exited: " + estate.log(agentLog));
      }
      try {
        for (PendingActivityInfo a : WorkerJvm.pending(client(), workflowId)) {
          if (a.getActivityType().getName().equals(activity)
              && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
            return a;
          }
        }
      } catch (io.grpc.StatusRuntimeException notStartedYet) {
        // the child does not exist yet
      }
      if (i % 20 == 0) {
        String closed = WorkerJvm.closed(client(), parent);
        if (closed != null) throw new AssertionError(activity + " never seen running: " + closed);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(activity + " never seen running on dr's agent:\n"
        + estate.log(agentLog));
  }

  /**
   * Waits until {@code activity} of {@code workflowId} has completed (the step resumed); says
   * what the run waits for (LifeboatWaitingStep, e.g. agent:dr) when it never does.
   */
  private void awaitCompleted(String workflowId, String parent, String activity, Process agent,
      Estate estate, String agentLog) throws Exception {
    for (int i = 0; i < 3000; i++) {
      if (!agent.isAlive()) {
        throw new AssertionError("dr's restarted agent exited: " + estate.log(agentLog));
      }
      if (ActivityHistory.whoRanWhat(client(), workflowId).stream()
          .anyMatch(r -> r.type().equals(activity))) {
        return;
      }
      if (i % 10 == 0) {
        String closed = WorkerJvm.closed(client(), parent);
        if (closed != null) throw new AssertionError(activity + " never completed: " + closed);
      }
      Thread.sleep(200);
    }
    String waiting = client().newUntypedWorkflowStub(workflowId).describe()
        .getTypedSearchAttributes().get(io.lifeboat.run.LifeboatSearchAttributes.WAITING_STEP);
    throw new AssertionError(activity + " never completed after the kill (" + workflowId
        + (waiting == null ? "" : " waits for " + waiting) + "); pending: " + WorkerJvm.pending(client(), workflowId) + "\n"
        + estate.log(agentLog));
  }

  private RealStack.Run cli(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return stack.cli(all.toArray(String[]::new));
  }

  /** The person's DNS change: the domain's A record names dr's address. */
  private static void pointDns(LocalAcme acme, String domain, String address) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(acme.dnsManagement + "/add-a")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"host\":\"" + domain + ".\",\"addresses\":[\"" + address + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  /** GET over HTTPS through dr's nginx, trusting only pebble's current root. */
  private String https(LocalAcme acme, String domain, String address, int port, String path)
      throws Exception {
    Path rootPem = stack.dir.resolve("estate-pebble-root.pem");
    ArchivingCluster.sh("curl", "-fsS", "--cacert", acme.ca.toString(), "-o", rootPem.toString(),
        acme.rootUrl);
    return ArchivingCluster.sh("curl", "-fsS", "--resolve", domain + ":" + port + ":" + address,
        "--cacert", rootPem.toString(), "https://" + domain + ":" + port + path);
  }

  private static String drSql(String address, int port, String db, String sql) throws Exception {
    return ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-h", address, "-p",
        String.valueOf(port), "-U", "postgres", "-d", db, "-c", sql).strip();
  }

  /** PM2 as the control worker and dr's agent run it: an absolute path both can reach. */
  private static String pm2() {
    String bin = SampleApp.pm2Bin();
    return bin.contains("/") ? Path.of(bin).toAbsolutePath().toString() : bin;
  }

  // ---------------------------------------------------------------------------------------
  // The link between the control worker and a host taken down mid-upload

  static final String LINK_FAULT =
      "the link between the control worker and the database host down mid-upload, brought back";
  static final String LINK_WORKFLOW = "DatabaseBackup (estate host db1)";
  static final String LINK_STEP = "DumpToRepository (pg_dump over db1's link)";

  /**
   * db1 is a production database host of the estate ({@link EstateDatabaseHost}: the
   * distribution unpacked in db1, PostgreSQL 15 as postgres, archiving through
   * bin/lifeboat-wal); the control worker here dumps it over TCP into the repository, its
   * upload capped at 3 MB/s in 5 MB parts so pg_dump is held back and the stream lasts. As soon
   * as the dump activity's heartbeat counts bytes read, the root side of db1's veth goes down,
   * and stays down until the stalled attempt has failed and the next one is scheduled; then it
   * comes back. Attempt 1 fails by the dump's stall watchdog (its pg_dump killed), the retry
   * aborts the earlier multipart upload and runs a new pg_dump; one manifest is committed, its
   * object whole (sha256), attempt 1 was cut below the dump's size, every object under the
   * dumps' directory is a manifest, a record beside one or the dump a manifest names, and no
   * multipart upload is left open.
   */
  void linkDownMidUpload() throws Exception {
    Estate estate = null;
    boolean wentDown = false;
    Process control = null;
    try {
      estate = estate("db1");
      String db1 = estate.address("db1");
      String dbName = "farmtally_" + stack.tag + "_l";
      int metricsPort = ArchivingCluster.freePort();
      java.util.function.Consumer<ObjectNode> configure = root -> {
        root.put("estate", "l" + stack.tag);
        root.putObject("metrics").put("port", metricsPort);
        root.putArray("hosts").addObject().put("name", "db1").put("address", db1)
            .putArray("roles").add("database");
        EstateDatabaseHost.configure(root, dbName, "db1", db1);
        ((ObjectNode) root.get("repository")).put("maxUploadMbPerSecond", 3)
            .put("partSizeMb", 5);
        root.putObject("retries").put("maxAttempts", 6).put("initialIntervalSeconds", 1)
            .put("maxIntervalSeconds", 3);
      };
      Path config = stack.config("estate-link", configure);
      Path db1Config = stack.config("estate-link-db1", root -> {
        configure.accept(root);
        ((ObjectNode) root.get("repository")).putObject("encryption")
            .put("keyFile", "/etc/lifeboat/repository.json");
      });
      EstateDatabaseHost host = new EstateDatabaseHost(stack, estate, "db1", dbName, db1Config,
          2000, List.of());
      // a large table (unlogged: no WAL for it, db1's tmpfs stays small) for a dump that lasts
      host.sql("create unlogged table bulk as select i, md5(i::text) || md5((i * 3)::text)"
          + " || md5((i * 7)::text) as payload from generate_series(1, 800000) i");
      control = workers.start(config, stack.taskQueue, "link-control", Map.of());
      Ledger before = ledger();

      RealStack.Run start = stack.cli("backup", "db", dbName, "--config", config.toString());
      assertEquals(0, start.exit(), start.out() + start.err());
      String id = ActivityHistory.startedId(start.out());
      DumpProgress streaming = awaitStreaming(id, control);
      List<ProcessHandle> firstDump = pgDumpsOf(dbName);
      assertEquals(1, firstDump.size(), "one pg_dump of " + dbName + ": " + firstDump);
      String veth = "lbe-db1";
      long down = System.nanoTime();
      ArchivingCluster.sh("ip", "link", "set", veth, "down");
      wentDown = true;
      PendingActivityInfo retried = null;
      try {
        for (int i = 0; i < 1800 && retried == null; i++) {
          Thread.sleep(100);
          for (PendingActivityInfo a : WorkerJvm.pending(client(), id)) {
            if (a.getActivityType().getName().equals("DumpToRepository")
                && a.getAttempt() >= 2) {
              retried = a;
            }
          }
        }
      } finally {
        ArchivingCluster.sh("ip", "link", "set", veth, "up");
      }
      long downMs = (System.nanoTime() - down) / 1_000_000;
      assertNotNull(retried, "the stalled dump was retried (link down " + downMs + " ms)\n"
          + workers.log("link-control"));
      // attempt 1 failed by the stall watchdog, not by Temporal's heartbeat timeout, and its
      // pg_dump is gone
      String failure = retried.getLastFailure().getMessage();
      assertTrue(failure.contains("pg_dump stream from " + db1 + ":5432 stalled"), failure);
      for (ProcessHandle p : firstDump) {
        assertFalse(p.isAlive(), "attempt 1's pg_dump (pid " + p.pid() + ") is still running");
      }
      long cutAt = Long.parseLong(failure.replaceAll("(?s).* after (\\d+) bytes.*", "$1"));
      BackupResult r = client().newUntypedWorkflowStub(id).getResult(10, TimeUnit.MINUTES,
          BackupResult.class);
      assertNotNull(r);
      int attempt = attempts(id).getOrDefault("DumpToRepository", 0);
      assertTrue(attempt >= 2, "history shows the retry: attempt " + attempt);

      // nothing half-written marked good: one committed dump, its object whole; every object
      // under the dumps' directory a manifest, a record beside one, or the dump it names
      List<BackupManifest> dumps = dumpManifests(dbName);
      assertEquals(1, dumps.size(), stack.keys().toString());
      BackupManifest m = dumps.get(0);
      assertEquals(id, m.workflowId());
      assertEquals(m.sha256(), Ledger.sha256(stack.store(), m.objectKey()),
          "the stored dump is what the manifest says");
      for (String k : stack.store().list(RepositoryLayout.fullBackupsRoot(stack.prefix,
          dbName))) {
        assertTrue(k.endsWith(".json") || k.equals(m.objectKey()),
            "an object no manifest names: " + k);
      }
      assertEquals(List.of(), stack.store().pendingUploads(stack.prefix + "/"),
          "no multipart upload left");
      assertTrue(cutAt < m.rawBytes(), "attempt 1 read " + cutAt + " of " + m.rawBytes()
          + " bytes before the stall: the link went down mid-stream");
      // and it verifies: `verify` of the committed dump passes
      RealStack.Run verify = stack.cli("verify", "--wait", "--database", dbName, "--config",
          config.toString());
      assertEquals(0, verify.exit(), "verify: " + verify.out() + verify.err());
      List<String> lost = before.lostIn(ledger());
      FaultTable.add(LINK_FAULT, LINK_WORKFLOW, LINK_STEP, Outcome.COMPLETED, lost.size(),
          "db1's veth down " + downMs + " ms once the dump streamed (at " + streaming.rawBytes()
              + " bytes); attempt 1 failed by the stall watchdog, cut at " + cutAt + " of "
              + m.rawBytes() + " bytes, its pg_dump gone; committed once on attempt " + attempt
              + ", sha256 matches, verified, no orphan object or multipart upload"
              + (lost.isEmpty() ? "" : "; LOST: " + lost));
      assertEquals(List.of(), lost, "previously good objects lost or changed");
    } catch (Throwable t) {
      FaultTable.add(LINK_FAULT, LINK_WORKFLOW, LINK_STEP, Outcome.NOT_SURVIVED, 0,
          (wentDown ? "" : "not reached; ") + firstLine(t));
      throw t;
    } finally {
      try {
        if (control != null) control.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      } finally {
        if (estate != null) estate.close(); // PostgreSQL and the shipper go with db1
      }
    }
  }

  /** Waits for the dump activity's first heartbeat that counts bytes read from pg_dump. */
  private DumpProgress awaitStreaming(String id, Process control) throws Exception {
    for (int i = 0; i < 2400; i++) {
      if (!control.isAlive()) {
        throw new AssertionError("the control worker exited: " + workers.log("link-control"));
      }
      var p = WorkerJvm.heartbeat(client(), id, "DumpToRepository", DumpProgress.class);
      if (p.isPresent() && p.get().rawBytes() > 0) return p.get();
      String closed = i % 20 == 0 ? WorkerJvm.closed(client(), id) : null;
      if (closed != null) throw new AssertionError("the dump never streamed: " + closed);
      Thread.sleep(50);
    }
    throw new AssertionError("the dump never streamed:\n" + workers.log("link-control"));
  }

  /** The pg_dump processes on this machine whose command line names {@code database}. */
  private static List<ProcessHandle> pgDumpsOf(String database) {
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
        .map(c -> c.contains("pg_dump") && c.contains(" " + database)).orElse(false)).toList();
  }

  /** The committed dump manifests of the database, oldest first. */
  private List<BackupManifest> dumpManifests(String dbName) throws Exception {
    String root = RepositoryLayout.fullBackupsRoot(stack.prefix, dbName);
    List<BackupManifest> out = new ArrayList<>();
    for (String k : stack.store().list(root)) {
      if (!k.endsWith("/manifest.json")) continue;
      try (InputStream in = stack.store().get(k)) {
        out.add(new ObjectMapper().readValue(in, BackupManifest.class));
      }
    }
    out.sort(java.util.Comparator.comparing(BackupManifest::startedAt));
    return out;
  }

  /** The highest attempt each activity type started with, from the workflow's history. */
  private Map<String, Integer> attempts(String workflowId) {
    Map<Long, String> types = new HashMap<>();
    Map<String, Integer> attempts = new java.util.TreeMap<>();
    for (var e : client().fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        types.put(e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      }
      if (e.hasActivityTaskStartedEventAttributes()) {
        var a = e.getActivityTaskStartedEventAttributes();
        attempts.merge(types.getOrDefault(a.getScheduledEventId(), "?"), a.getAttempt(),
            Math::max);
      }
    }
    return attempts;
  }

  private static String firstLine(Throwable t) {
    String s = String.valueOf(t);
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
