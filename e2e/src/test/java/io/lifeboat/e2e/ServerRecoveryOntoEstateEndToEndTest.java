package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.host.ActivityPlacement;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.run.StepTiming;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Scenario 2 onto a machine that is really another one (issue 17): `recover server --target dr`
 * rebuilds the database and the application on the estate's host dr (a network, mount and UTS
 * namespace: its own address on the estate bridge, its own /opt holding the target's root
 * /opt/dr with the PostgreSQL data directory, the release root, the PM2 home and nginx's prefix,
 * its own /etc/nginx and /etc/lifeboat, sshd with a host key the harness pinned). No Lifeboat
 * agent runs on dr when the recovery starts: the configure playbook installs one from the
 * distribution tarball (servers[].agent, role lifeboat_agent) and starts it as a supervised
 * background process (lifeboat_service_manager=process: dr has no systemd), inside dr's
 * namespaces through ansible's SSH session, and the recovery waits for it before any step runs on
 * dr.
 *
 * <p>Production is this machine: an archiving cluster (its pg_hba lets the estate's network in,
 * as a production's lets the control and application networks in), the sample app under PM2, a
 * base backup, one row after it and an app backup. The control worker runs in the test's JVM,
 * in the root namespace. The recovery: a person approves provisioning with dr's address;
 * ansible configures dr over SSH with dr's key pinned (the inventory's known_hosts, never
 * StrictHostKeyChecking=no; dr's sshd logs the session), copying lifeboat-VERSION.tar.gz over
 * and starting `lifeboat agent --host dr` from it; the run waits for that agent
 * (AgentActivities.activityPollers after the playbook, before the first host-bound activity);
 * the database child's data directory
 * steps (prepare, download, replay, swap) and every release, PM2, nginx and certbot step run on
 * dr's agent; pebble (the stack's ACME server, reached from dr through its forwarder of port
 * 14000) validates HTTP-01 against dr's nginx on dr's address; the control worker's HTTPS check
 * and the test's own curl read the restored rows through dr's nginx.
 *
 * <p>Asserted: the agent was started by the playbook (its parent is the role's supervisor, it
 * runs the unpacked distribution in dr's network and mount namespaces, its environment is the
 * one of ansible's SSH session from the control address, the test's JVM is not among its
 * ancestors, the supervisor's log and the run's report name it) and the run waited for it;
 * every activity of the run and of its database child ran where ActivityPlacement
 * says (HOST_BOUND ones completed by `agent@dr/PID` on dr's queue, the rest by the control
 * worker), every step that made host-bound calls names host dr and its agent, the restored
 * postmaster lives in dr's network namespace, and none of dr's files exist in the root
 * namespace (the target's root, the restored cluster's socket).
 *
 * <p>Not covered here: DNS by RFC 2136 (a person's approval as in ServerRecoveryEndToEndTest),
 * the agent under systemd (tests/ansible_agent_test.sh checks the unit is installed), and
 * production on hosts of the estate (production is the root namespace).
 *
 * <p>Needs the distribution tarball: `mvn -DskipTests package -pl dist -am` (dist/target), or
 * LIFEBOAT_DIST_TARBALL=FILE.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ServerRecoveryOntoEstateEndToEndTest {
  private static final String ROOT = "/opt/dr";
  /** Where the role keeps the supervised agent's pid files and log on dr (dr's own /opt). */
  private static final String AGENT_DIR = "/opt/lifeboat-agent";

  private RealStack stack;
  private SampleApp app;
  private Estate estate;
  private ArchivingCluster cluster;
  private Path config;
  private final LocalAcme acme = LocalAcme.shared();
  private String address;
  private String domain;
  private String db;
  /**
   * The target's name (host dr): its own per run, since the workflow id recover-server-NAME is
   * unique in the stack's Temporal namespace, which other tests' server recoveries share.
   */
  private String target;
  private final int httpsPort = SampleApp.freePort();
  private final int appPort = SampleApp.freePort();
  private final int pgPort = SampleApp.freePort();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    if (!Files.isRegularFile(acme.ca)) {
      throw new IllegalStateException("no pebble CA at " + acme.ca + ": start the local ACME"
          + " server (./lifeboat up, or ./lifeboat acme start), or set LIFEBOAT_ACME_CA");
    }
    app = new SampleApp(stack, Map.of(), "farmtally-" + stack.tag);
    int acmePort = URI.create(acme.directory).getPort();
    estate = new Estate(stack.dir, Map.of("LIFEBOAT_ESTATE_PORTS",
        "7233 9000 9100 55432 " + acmePort), "dr");
    address = estate.address("dr");
    domain = stack.tag + ".farmtally.test";
    db = stack.tag + "_srv";
    target = "dr-" + stack.tag;
    int sourcePort = ArchivingCluster.freePort();
    Path inventory = stack.dir.resolve("inventory.ini");
    // dr as ansible reaches it: over SSH, the key pinned in the harness's known_hosts.
    Files.writeString(inventory, "[recovery]\ndr ansible_host=" + address
        + " ansible_user=root ansible_ssh_private_key_file=" + Estate.RUN.resolve("client_key")
        + " ansible_python_interpreter=/usr/bin/python3 ansible_remote_tmp=/opt/.ansible-tmp"
        // the role lifeboat_agent on a host without systemd, Java already there (no apt)
        + " lifeboat_service_manager=process lifeboat_agent_dir=" + AGENT_DIR
        + " lifeboat_install_java=false"
        + " ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes"
        + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + Estate.RUN.resolve("known_hosts")
        + " -o GlobalKnownHostsFile=/dev/null'\n");
    Path tarball = tarball();
    Path configFile = stack.dir.resolve("server-estate.yml");
    config = stack.config("server-estate", c -> {
      // an estate name of its own: workflow ids (backup-config-ESTATE-manual, rollback-ESTATE-APP)
      // are per estate, and the other e2e classes run beside this one against the same Temporal
      c.put("estate", stack.tag);
      ArchivingCluster.point(c, db, sourcePort);
      app.addTo(c);
      c.putObject("metrics").put("port", SampleApp.freePort());
      c.putObject("retries").put("maxAttempts", 5).put("initialIntervalSeconds", 1)
          .put("maxIntervalSeconds", 2);
      ObjectNode h = c.putArray("hosts").addObject();
      h.put("name", "dr").put("address", address);
      h.putArray("roles").add("database").add("application").add("proxy");
      ObjectNode t = c.putArray("servers").addObject();
      t.put("name", target).put("host", "dr").put("address", address).put("root", ROOT)
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
      // The agent the configure playbook installs: this build's distribution, this config, and
      // the control worker's settings it needs (the repository's keys, PM2).
      ObjectNode agent = t.putObject("agent").put("tarball", tarball.toString())
          .put("config", configFile.toString());
      agent.putArray("env").add("LIFEBOAT_S3_ACCESS_KEY").add("LIFEBOAT_S3_SECRET_KEY")
          .add("LIFEBOAT_PG_PASSWORD").add("LIFEBOAT_PM2_BIN");
    });
    assertEquals(configFile, config);
    cluster = new ArchivingCluster(stack.tag, db, sourcePort, config);
    // Production's pg_hba lets the estate's network in; the base backup carries it to dr, where
    // the control worker (10.231.77.1) and dr's app dial the restored cluster.
    Files.writeString(cluster.data.resolve("pg_hba.conf"),
        "host all all 10.231.77.0/24 trust\n", java.nio.file.StandardOpenOption.APPEND);
    cluster.psql("select pg_reload_conf()");
    // dr has nginx installed (its /etc/nginx holds the package's mime.types, which the playbook
    // copies into the instance's prefix); nothing else of the recovery is on it yet.
    Path mime = stack.dir.resolve("mime.types");
    Files.copy(Path.of("/etc/nginx/mime.types"), mime);
    estate.exec("dr", "install", "-m", "0644", mime.toString(), "/etc/nginx/mime.types");
  }

  @AfterEach
  void down() throws Exception {
    try {
      try {
        stack.temporal().client().newUntypedWorkflowStub("recover-server-" + target)
            .terminate("test over");
      } catch (RuntimeException notRunning) {
        // finished already
      }
      try {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(acme.dnsManagement
            + "/clear-a")).POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + domain
                + ".\"}")).build(), HttpResponse.BodyHandlers.discarding());
      } catch (Exception ignored) {
        // challtestsrv not running: nothing to clear
      }
    } finally {
      try {
        if (estate != null) estate.close(); // dr's agent, PostgreSQL, PM2 and nginx go with it
      } finally {
        try {
          if (cluster != null) cluster.close();
        } finally {
          if (app != null) app.close();
          stack.close();
        }
      }
    }
  }

  @Test
  void recoversTheServerOntoDrThroughItsAgentAndServesRestoredRowsOverHttps() throws Exception {
    Map<String, String> env = SampleApp.workerEnv();
    env.put("LIFEBOAT_PM2_BIN", pm2());
    stack.startWorker(env);
    backUpProduction();
    String users = PitrFixture.psql(cluster, "select count(*) from users");
    // Nothing of Lifeboat is on dr: the recovery's playbook brings the agent.
    assertFalse(estate.ssh("dr", "test", "-e", "/opt/lifeboat").exit() == 0, "dr has Lifeboat");

    RealStack.Run start = cli("recover", "server", "--target", target);
    assertEquals(0, start.exit(), start.out() + start.err());
    String id = "recover-server-" + target;
    WorkflowClient client = stack.temporal().client();
    awaitWaiting(client, id, "provision");
    RealStack.Run ok = cli("approve", id, "provision", "--by", "dana", "--value", address,
        "--reason", "dr built");
    assertEquals(0, ok.exit(), ok.out() + ok.err());

    awaitWaiting(client, id, "dns");
    pointDns();
    RealStack.Run dns = cli("approve", id, "dns", "--by", "dana", "--value", address);
    assertEquals(0, dns.exit(), dns.out() + dns.err());

    ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
        .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(),
        r.report().notes() + "\nagent:\n" + agentLog());
    assertTrue(r.health().healthy(), r.health().toString());
    assertEquals("users=" + users, r.health().data().split(" ")[0], r.health().data());

    // The test's own look: HTTPS through dr's nginx on dr's address, pebble's root only.
    String stats = https("/api/stats");
    assertTrue(stats.contains("\"users\":" + users), stats);
    assertTrue(https("/api/health").contains("\"status\":\"ok\""));
    assertEquals(users, ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-h",
        address, "-p", String.valueOf(pgPort), "-U", "postgres", "-d", db, "-c",
        "select count(*) from users").strip());

    // The agent was started by the playbook, on dr, from the distribution.
    long agent = agentStartedByThePlaybook();
    String identity = "agent@dr/" + agent;
    assertTrue(r.report().facts().getOrDefault("Agent", "").contains(identity),
        r.report().facts().toString());
    assertTrue(r.report().facts().getOrDefault("Configuration", "").contains("changed="),
        r.report().facts().toString());

    // Where each activity ran: HOST_BOUND ones on dr's agent (its queue), the rest here.
    String hostQueue = stack.taskQueue + "-host-dr";
    theRunWaitedForTheAgentAfterThePlaybook(client, id, identity, placements());
    Map<String, ActivityPlacement.Where> placement = placements();
    TreeSet<String> onAgent = new TreeSet<>();
    TreeSet<String> onControl = new TreeSet<>();
    List<String> workflows = List.of(id, id + "-db-" + db);
    for (String wf : workflows) {
      for (String[] ran : whoRanWhat(client, wf)) {
        ActivityPlacement.Where where = placement.get(ran[0]);
        assertTrue(where != null, ran[0] + " is not in ActivityPlacement");
        if (where == ActivityPlacement.Where.HOST_BOUND) {
          assertEquals(identity, ran[1], wf + ": " + ran[0]);
          assertEquals(hostQueue, ran[2], wf + ": " + ran[0]);
          onAgent.add(ran[0]);
        } else {
          assertFalse(ran[1].startsWith("agent@"), wf + ": " + ran[0] + " ran on " + ran[1]);
          assertEquals(stack.taskQueue, ran[2], wf + ": " + ran[0]);
          onControl.add(ran[0]);
        }
      }
    }
    System.out.println("on dr's agent: " + onAgent + "\non the control worker: " + onControl);
    for (String[] m : new String[][] {
        {"DatabaseRecoveryActivities", "prepareScratch", "downloadBase", "replay",
            "swapDataDirectory"},
        {"RollbackActivities", "stageRelease", "installDependencies", "swapRelease", "startApp",
            "verifyHealth"},
        {"ServerRecoveryActivities", "savePm2", "startNginx", "issueCertificate"}}) {
      for (int i = 1; i < m.length; i++) {
        assertTrue(onAgent.contains(typeName(m[0], m[i])), m[i] + " not on dr: " + onAgent);
      }
    }
    for (String m : List.of("runPlaybook", "newestRelease", "checkHttps")) {
      assertTrue(onControl.contains(typeName("ServerRecoveryActivities", m)),
          m + " not on the control worker: " + onControl);
    }
    // The steps with host-bound work name dr and its agent; the others name no host.
    for (String s : List.of("application", "services", "tls")) {
      StepTiming st = step(r, s);
      assertEquals("dr", st.host(), st.toString());
      assertTrue(st.agent() != null && st.agent().contains(identity), st.toString());
    }
    for (String s : List.of("configure", "health")) {
      assertEquals(null, step(r, s).host(), step(r, s).toString());
    }

    // Ansible came in over SSH as root with the client key (dr's sshd says so).
    String sshd = Files.readString(Estate.RUN.resolve("dr/sshd.log"));
    assertTrue(sshd.contains("Accepted publickey for root from 10.231.77.1"), sshd);

    // dr's files are dr's: the restored postmaster lives in dr's network namespace; its data
    // directory, the release, PM2's home and nginx's prefix exist inside dr and nowhere here.
    String pid = estate.exec("dr", "head", "-1", ROOT + "/postgresql/data/postmaster.pid").strip();
    assertEquals(Estate.netnsOf("dr"), Estate.netnsOfPid(Long.parseLong(pid)));
    for (String p : List.of(ROOT + "/postgresql/data/PG_VERSION",
        ROOT + "/app/" + app.name + "/current/server.js", ROOT + "/nginx/conf/nginx.conf",
        ROOT + "/letsencrypt/config/live/" + domain + "/fullchain.pem")) {
      estate.exec("dr", "test", "-f", p);
    }
    estate.exec("dr", "test", "-d", ROOT + "/pm2");
    assertFalse(Files.exists(Path.of(ROOT)), ROOT + " exists on the control worker's machine");
    try (var s = Files.list(cluster.dir)) {
      assertTrue(s.noneMatch(f -> f.getFileName().toString().contains(String.valueOf(pgPort))),
          "dr's cluster put its socket into production's socket directory");
    }
    assertEquals("off", ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-h",
        address, "-p", String.valueOf(pgPort), "-U", "postgres", "-d", db, "-c",
        "show archive_mode").strip());
  }

  /**
   * The agent's pid, after checking that the playbook started it: the pid file the role's
   * supervisor keeps in dr's AGENT_DIR names a live JVM running `lifeboat agent --host dr` from
   * the unpacked distribution (/opt/lifeboat-VERSION/lib), whose parent is that supervisor, in dr's
   * network and mount namespaces, with the environment of ansible's SSH session from the control
   * address (10.231.77.1), and with neither this JVM nor any of its processes among its
   * ancestors; the supervisor's log names it.
   */
  private long agentStartedByThePlaybook() throws Exception {
    long agent = Long.parseLong(estate.exec("dr", "cat", AGENT_DIR + "/agent.pid").strip());
    long supervisor =
        Long.parseLong(estate.exec("dr", "cat", AGENT_DIR + "/supervisor.pid").strip());
    assertEquals(supervisor, ppid(agent), "the agent's parent is the role's supervisor");
    String sup = cmdline(supervisor);
    assertTrue(sup.contains(AGENT_DIR + "/lifeboat-agent-supervise dr "), sup);
    String cmd = cmdline(agent);
    assertTrue(cmd.matches(".* -cp /opt/lifeboat-[^/ ]+/lib/\\* .*")
        && cmd.contains("io.lifeboat.cli.LifeboatCli agent --host dr"), cmd);
    assertEquals(Estate.netnsOf("dr"), Estate.netnsOfPid(agent));
    String drMnt = estate.exec("dr", "readlink", "/proc/self/ns/mnt").strip();
    assertEquals(drMnt, Files.readSymbolicLink(Path.of("/proc/" + agent + "/ns/mnt")).toString());
    assertFalse(drMnt.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString()));
    String environ = new String(Files.readAllBytes(Path.of("/proc/" + agent + "/environ")),
        java.nio.charset.StandardCharsets.UTF_8).replace('\0', '\n');
    assertTrue(environ.lines().anyMatch(l -> l.startsWith("SSH_CONNECTION=10.231.77.1 ")),
        "the agent was not started from an SSH session from the control address");
    assertTrue(environ.lines().anyMatch(l -> l.equals(
        "LIFEBOAT_ENV_FILE=/etc/lifeboat/lifeboat.env")), "the agent reads another env file");
    long me = ProcessHandle.current().pid();
    for (long p = agent; p > 1; p = ppid(p)) {
      assertFalse(p == me, "the test's JVM started the agent");
    }
    String log = agentLog();
    assertTrue(log.contains("started the agent of dr (pid " + agent + ")"), log);
    assertFalse(Files.exists(Path.of(AGENT_DIR)), AGENT_DIR + " exists on the control machine");
    return agent;
  }

  /**
   * The run asked for dr's agent (AgentActivities) after the configure playbook and before
   * anything went on (the database child's start, a host-bound activity), and the last answer
   * before that named the agent: the wait right after the playbook, not only the one every
   * host-bound call makes (which the child and the application step would make anyway).
   */
  private static void theRunWaitedForTheAgentAfterThePlaybook(WorkflowClient client, String id,
      String identity, Map<String, ActivityPlacement.Where> placement) {
    String pollers = typeName("AgentActivities", "activityPollers");
    String playbook = typeName("ServerRecoveryActivities", "runPlaybook");
    Map<Long, String> scheduled = new HashMap<>();
    boolean configured = false;
    String lastAnswer = null;
    int asked = 0;
    boolean waiting = false;
    for (HistoryEvent e : client.fetchHistory(id).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()
          || e.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
        String type = e.hasActivityTaskScheduledEventAttributes()
            ? e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
            : "the child " + e.getStartChildWorkflowExecutionInitiatedEventAttributes()
                .getWorkflowId();
        scheduled.put(e.getEventId(), type);
        if (placement.get(type) == ActivityPlacement.Where.HOST_BOUND
            || type.startsWith("the child")) {
          assertTrue(configured && asked > 0, type + " was scheduled before the run asked for"
              + " the agent after the playbook");
          assertTrue(lastAnswer != null && lastAnswer.contains(identity),
              "the run went on before the agent polled: " + lastAnswer);
          System.out.println("the run asked for dr's agent " + asked + " time(s)"
              + (waiting ? ", waiting (LifeboatWaitingStep=agent:dr)" : "") + ": " + lastAnswer);
          return;
        }
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        var a = e.getActivityTaskCompletedEventAttributes();
        String type = scheduled.get(a.getScheduledEventId());
        if (type.equals(playbook)) configured = true;
        if (type.equals(pollers) && configured) {
          asked++;
          // through the client's converter: the stack encrypts payloads
          lastAnswer = String.valueOf(client.getOptions().getDataConverter().fromPayloads(0,
              java.util.Optional.of(a.getResult()), List.class, List.class));
        }
      } else if (e.hasUpsertWorkflowSearchAttributesEventAttributes()
          && e.getUpsertWorkflowSearchAttributesEventAttributes().toString().contains("agent:dr")) {
        waiting = true;
      }
    }
    throw new AssertionError("no child and no host-bound activity in " + id);
  }

  private static long ppid(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
  }

  private static String cmdline(long pid) throws Exception {
    return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
        java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
  }

  /** The supervised agent's log on dr (the supervisor's lines and the agent's own). */
  private String agentLog() {
    try {
      return estate.exec("dr", "tail", "-n", "200", AGENT_DIR + "/agent.log");
    } catch (Exception e) {
      return "(no agent log on dr: " + e.getMessage() + ")";
    }
  }

  /** PM2 as the control worker and dr's agent run it: an absolute path both can reach. */
  private static String pm2() {
    String bin = SampleApp.pm2Bin();
    if (bin.contains("/")) return Path.of(bin).toAbsolutePath().toString();
    Path local = Path.of(System.getenv().getOrDefault("LIFEBOAT_HOME", ".."),
        ".lifeboat/npm/node_modules/.bin/pm2").toAbsolutePath().normalize();
    return Files.isExecutable(local) ? local.toString() : bin;
  }

  private static Path tarball() throws Exception {
    String env = System.getenv("LIFEBOAT_DIST_TARBALL");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
    Path target = Path.of("../dist/target").toAbsolutePath().normalize();
    try (var s = Files.exists(target) ? Files.list(target) : java.util.stream.Stream.<Path>empty()) {
      return s.filter(p -> p.getFileName().toString().matches("lifeboat-.*\\.tar\\.gz"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no distribution tarball in "
              + target + ": mvn -DskipTests package -pl dist -am (or LIFEBOAT_DIST_TARBALL=FILE)"));
    }
  }

  /** Waits until the run waits for {@code step}; fails at once when the run has ended. */
  private void awaitWaiting(WorkflowClient client, String id, String step) throws Exception {
    for (int i = 0; i < 3000; i++) {
      var status = client.newUntypedWorkflowStub(id).describe().getStatus();
      if (status != io.temporal.api.enums.v1.WorkflowExecutionStatus
          .WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw new AssertionError(id + " ended (" + status + ") before waiting for " + step
            + "\nagent:\n" + agentLog());
      }
      try {
        var p = client.newUntypedWorkflowStub(id).query("progress",
            io.lifeboat.recover.server.ServerRecoveryProgress.class);
        if (p.waiting().stream().anyMatch(w -> w.step().equals(step))) return;
      } catch (RuntimeException noWorkerYet) {
        // a query needs a worker; the next round asks again
      }
      Thread.sleep(200);
    }
    throw new AssertionError(id + " never waited for " + step);
  }

  private void backUpProduction() throws Exception {
    PitrFixture.createDatabase(cluster);
    Path fixture = stack.dir.resolve("fixture.sql");
    try (var in = getClass().getResourceAsStream("/fixture.sql")) {
      Files.copy(in, fixture, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    ArchivingCluster.sh("chmod", "644", fixture.toString());
    ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v",
        "rows=2000", "-h", "127.0.0.1", "-p", String.valueOf(cluster.port), "-U", "postgres",
        "-d", db, "-f", fixture.toString());
    PitrFixture.baseBackup(stack, config, db);
    PitrFixture.psql(cluster, "insert into users(email, created_at)"
        + " values ('after-base-backup@farmtally.test', now())");
    PitrFixture.archiveAll(cluster);
    RealStack.Run r = cli("backup", "app", app.name, "--wait");
    assertEquals(0, r.exit(), "backup app: " + r.out() + r.err());
  }

  private RealStack.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return stack.cli(all.toArray(String[]::new));
  }

  /** The person's DNS change: the domain's A record names dr's address. */
  private void pointDns() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(acme.dnsManagement + "/add-a")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"host\":\"" + domain + ".\",\"addresses\":[\"" + address + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private String https(String path) throws Exception {
    Path rootPem = stack.dir.resolve("pebble-root.pem");
    ArchivingCluster.sh("curl", "-fsS", "--cacert", acme.ca.toString(), "-o", rootPem.toString(),
        acme.rootUrl);
    return ArchivingCluster.sh("curl", "-fsS", "--resolve", domain + ":" + httpsPort + ":"
        + address, "--cacert", rootPem.toString(), "https://" + domain + ":" + httpsPort + path);
  }

  /** Activity type (Temporal's name, with the interface's prefix) → where it runs. */
  private static Map<String, ActivityPlacement.Where> placements() {
    Map<String, ActivityPlacement.Where> m = new HashMap<>();
    for (Class<?> type : ActivityPlacement.interfaces()) {
      for (var method : POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata()) {
        m.put(method.getActivityTypeName(),
            ActivityPlacement.where(type, method.getMethod().getName()));
      }
    }
    return m;
  }

  private static String typeName(String simpleName, String method) {
    for (Class<?> type : ActivityPlacement.interfaces()) {
      if (!type.getSimpleName().equals(simpleName)) continue;
      for (var m : POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata()) {
        if (m.getMethod().getName().equals(method)) return m.getActivityTypeName();
      }
    }
    throw new AssertionError("no activity " + simpleName + "." + method);
  }

  /** Each completed activity: its type, the identity that completed it, the queue it was on. */
  private static List<String[]> whoRanWhat(WorkflowClient client, String workflowId) {
    Map<Long, String[]> scheduled = new HashMap<>();
    List<String[]> ran = new ArrayList<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        var a = e.getActivityTaskScheduledEventAttributes();
        scheduled.put(e.getEventId(), new String[] {a.getActivityType().getName(),
            a.getTaskQueue().getName()});
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        var a = e.getActivityTaskCompletedEventAttributes();
        String[] s = scheduled.get(a.getScheduledEventId());
        ran.add(new String[] {s[0], a.getIdentity(), s[1]});
      }
    }
    return ran;
  }

  private static StepTiming step(ServerRecoveryResult r, String name) {
    return r.steps().stream().filter(s -> s.step().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name + " in " + r.steps()));
  }
}
