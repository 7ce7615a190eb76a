package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.recover.server.ServerRecoveryProgress;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.rollback.ApplicationRollbackWorkflow;
import io.lifeboat.run.StepTiming;
import io.lifeboat.wal.BaseBackups;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 17's main end-to-end test, in one run: an estate of three machines (db1, app1, dr),
 * each a network, mount and UTS namespace of tests/estate/estate.bash with sshd and a Lifeboat
 * agent, the control worker in this JVM in the root namespace.
 *
 * <ol>
 *   <li>db1 is the production database host ({@link EstateDatabaseHost}: the distribution
 *       unpacked into db1's /opt/lifeboat, PostgreSQL 15 as postgres, archiving through
 *       bin/lifeboat-wal); the nightly dump and base backup run over TCP from the control
 *       worker, and db1 archives its WAL;</li>
 *   <li>app1 runs the sample app under PM2 (PM2_HOME /opt/pm2, release root /opt/farmtally,
 *       both only inside app1): `backup app`, then a broken release and `rollback app`, every
 *       host-bound step on app1's agent;</li>
 *   <li>`recover db --to T` on db1: the data directory steps (prepare, download, replay, swap)
 *       on db1's agent inside db1; the row after T is gone, the row before it is there; a row
 *       written on the new timeline is archived;</li>
 *   <li>production is lost: db1 and app1 are stopped (every process in them SIGKILLed, their
 *       links down);</li>
 *   <li>`recover server --target` onto dr rebuilds the database (the base backup and the WAL
 *       up to db1's new timeline) and the application (the stored release) on dr over SSH,
 *       its host key pinned, through dr's agent; pebble issues dr's certificate; the app
 *       answers over HTTPS through dr's nginx with the restored rows.</li>
 * </ol>
 *
 * <p>Asserted throughout: every activity of every run completed where ActivityPlacement says
 * (host-bound ones by {@code agent@HOST/PID} on HOST's queue, the rest by the control worker),
 * and the control worker's filesystem holds none of db1's, app1's or dr's files.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class EstateScenarioTwoEndToEndTest {
  private static final String RELEASES = "/opt/farmtally";
  private static final String PM2_HOME = "/opt/pm2";
  private static final String DR_ROOT = "/opt/dr";
  private static final int DR_PG_PORT = 5432;

  private RealStack stack;
  private Estate estate;
  private EstateDatabaseHost db1;
  private final LocalAcme acme = LocalAcme.shared();
  private Path config;
  private String dbName;
  private String appName;
  private String target;
  private String domain;
  private final int appPort = SampleApp.freePort();
  private final int drAppPort = SampleApp.freePort();
  private final int httpsPort = SampleApp.freePort();
  private final Map<String, Long> phases = new LinkedHashMap<>();

  @BeforeEach
  void up() throws Exception {
    long t0 = System.nanoTime();
    stack = new RealStack();
    if (!Files.isRegularFile(acme.ca)) {
      throw new IllegalStateException("no pebble CA at " + acme.ca + ": start the local ACME"
          + " server (./lifeboat up, or ./lifeboat acme start), or set LIFEBOAT_ACME_CA");
    }
    dbName = "farmtally_" + stack.tag;
    appName = "ft" + stack.tag;
    target = "dr" + stack.tag.substring(2);
    domain = stack.tag + ".farmtally.test";
    int acmePort = URI.create(acme.directory).getPort();
    estate = new Estate(stack.dir, Map.of("LIFEBOAT_ESTATE_PORTS",
        "7233 9000 9100 55432 " + acmePort), "db1", "app1", "dr");
    // the lock may have been held by another JVM's estate test: its wait is not this test's
    phase("estate lock (waiting for other estate tests) + estate.bash up", t0);
    t0 = System.nanoTime();
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("scenario2", root -> configure(root, metricsPort));
    Path db1Config = stack.config("db1-host", root -> {
      configure(root, metricsPort);
      ((ObjectNode) root.get("repository")).putObject("encryption")
          .put("keyFile", "/etc/lifeboat/repository.json");
    });
    // Production's pg_hba lets dr's app in (the role lifeboat, no password: the app's psql has
    // none), as a production estate lets its DR site in; the base backup carries it to dr.
    db1 = new EstateDatabaseHost(stack, estate, "db1", dbName, db1Config, 2000,
        List.of("host " + dbName + " lifeboat " + estate.address("dr") + "/32 trust"));
    deployApp();
    // dr has nginx installed (the package's mime.types, which the playbook copies)
    Path mime = stack.dir.resolve("mime.types");
    Files.copy(Path.of("/etc/nginx/mime.types"), mime);
    estate.exec("dr", "install", "-m", "0644", mime.toString(), "/etc/nginx/mime.types");
    stack.startWorker(SampleApp.workerEnv());
    phase("setup (db1 installed and loaded, app1 deployed)", t0);
  }

  private void configure(ObjectNode root, int metricsPort) {
    // an estate name of its own: workflow ids (backup-config-ESTATE-manual, rollback-ESTATE-APP)
    // are per estate, and the other e2e classes run beside this one against the same Temporal
    root.put("estate", stack.tag);
    root.putObject("metrics").put("port", metricsPort);
    root.putObject("retries").put("maxAttempts", 5).put("initialIntervalSeconds", 1)
        .put("maxIntervalSeconds", 3);
    var hosts = root.putArray("hosts");
    hosts.addObject().put("name", "db1").put("address", estate.address("db1"))
        .putArray("roles").add("database");
    hosts.addObject().put("name", "app1").put("address", estate.address("app1"))
        .putArray("roles").add("application");
    hosts.addObject().put("name", "dr").put("address", estate.address("dr"))
        .putArray("roles").add("database").add("application").add("proxy");
    EstateDatabaseHost.configure(root, dbName, "db1", estate.address("db1"));
    ObjectNode a = root.putArray("applications").addObject();
    a.put("name", appName).put("releaseRoot", RELEASES).put("pm2Name", appName)
        .put("ecosystemFile", RELEASES + "/ecosystem.config.js").put("pm2Home", PM2_HOME)
        .put("healthUrl", "http://127.0.0.1:" + appPort + "/api/health").put("host", "app1");
    Path inventory = stack.dir.resolve("inventory.ini");
    String dr = estate.address("dr");
    try {
      // dr as ansible reaches it: over SSH, the key pinned in the harness's known_hosts
      Files.writeString(inventory, "[recovery]\ndr ansible_host=" + dr
          + " ansible_user=root ansible_ssh_private_key_file=" + Estate.RUN.resolve("client_key")
          + " ansible_python_interpreter=/usr/bin/python3 ansible_remote_tmp=/opt/.ansible-tmp"
          + " ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes"
          + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile="
          + Estate.RUN.resolve("known_hosts") + " -o GlobalKnownHostsFile=/dev/null'\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ObjectNode t = root.putArray("servers").addObject();
    t.put("name", target).put("host", "dr").put("address", dr).put("root", DR_ROOT)
        .put("domain", domain).put("httpPort", acme.httpPort).put("httpsPort", httpsPort)
        .put("appPort", drAppPort).put("database", dbName).put("application", appName)
        .put("inventory", inventory.toString())
        .put("playbook", Path.of("../examples/farmtally/ansible/site.yml").toAbsolutePath()
            .normalize().toString());
    t.putObject("postgres").put("port", DR_PG_PORT).put("binDir", EstateDatabaseHost.PG_BIN)
        .put("osUser", "postgres")
        // dr has no distribution unpacked: its copy of db1's archive_command could not run
        .putArray("settings").add("archive_mode=off");
    t.putObject("acme").put("directory", acme.directory).put("caBundle", acme.ca.toString())
        .put("rootUrl", acme.rootUrl);
  }

  /** The sample app in app1: previous/ (r1), current/ (r2), under PM2 with app1's PM2_HOME. */
  private void deployApp() throws Exception {
    Path ecosystem = stack.dir.resolve("ecosystem.config.js");
    Files.writeString(ecosystem, "const path = require('path');\n"
        + "module.exports = { apps: [{ name: '" + appName + "', cwd: path.join(__dirname,"
        + " 'current'), script: 'server.js', env: { NODE_ENV: 'production', HOST: '127.0.0.1',"
        + " PORT: '" + appPort + "' }, autorestart: true, max_restarts: 5 }] };\n");
    estate.exec("app1", "bash", "-c", String.join("\n",
        "set -euo pipefail",
        "cd /",
        "for r in previous:r1 current:r2; do",
        "  d=" + RELEASES + "/${r%%:*}; mkdir -p $d",
        "  tar -C \"$1\" --exclude=node_modules -cf - . | tar -C $d -xf -",
        "  echo ${r#*:} >$d/REVISION",
        "  printf '{ \"name\": \"farmtally\", \"revision\": \"%s\" }\\n' ${r#*:} >$d/release.json",
        "done",
        "install -m 0644 \"$2\" " + RELEASES + "/ecosystem.config.js",
        "mkdir -p " + PM2_HOME,
        "PM2_HOME=" + PM2_HOME + " PM2_DISCRETE_MODE=true \"$3\" start " + RELEASES
            + "/ecosystem.config.js >/opt/pm2-start.log 2>&1 </dev/null"),
        "app1-deploy", SampleApp.SOURCE.toString(), ecosystem.toString(), SampleApp.pm2Bin());
    awaitApp1(200);
  }

  @AfterEach
  void down() throws Exception {
    try {
      try {
        stack.temporal().client().newUntypedWorkflowStub(serverId()).terminate("test over");
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
        if (estate != null) estate.close(); // agents, PostgreSQL, PM2, nginx go with the hosts
      } finally {
        stack.close();
      }
    }
    phases.forEach((k, v) -> System.out.printf("scenario 2 on the estate: %-60s %7d ms%n", k, v));
  }

  private String serverId() {
    return "recover-server-" + target;
  }

  @Test
  void scenarioTwoOnAnEstateOfThreeMachines() throws Exception {
    long start = System.nanoTime();
    WorkflowClient client = stack.temporal().client();
    String q = stack.taskQueue;
    Map<String, String> agentEnv = Map.of("LIFEBOAT_PM2_BIN", SampleApp.pm2Bin());
    Process db1Agent = estate.startAgent("db1", config, q, "agent-db1", agentEnv);
    Process app1Agent = estate.startAgent("app1", config, q, "agent-app1", agentEnv);
    String db1Id = "agent@db1/" + db1Agent.pid();
    String app1Id = "agent@app1/" + app1Agent.pid();
    // PostgreSQL is db1's: its postmaster lives in db1, as postgres; its files only there
    long postmaster = db1.postmaster();
    assertEquals(Estate.netnsOf("db1"), Estate.netnsOfPid(postmaster));
    assertEquals("postgres", estate.exec("db1", "ps", "-o", "user=", "-p",
        String.valueOf(postmaster)).strip());
    String systemId = db1.sql("postgres", "select system_identifier from pg_control_system()");

    // 1. the nightly dump and base backup of db1's database, over TCP from the control worker
    long t = System.nanoTime();
    RealStack.Run dump = cli("backup", "db", dbName, "--wait");
    assertEquals(0, dump.exit(), dump.out() + dump.err());
    String dumpId = ActivityHistory.startedId(dump.out());
    RealStack.Run base = cli("backup", "base", dbName, "--wait");
    assertEquals(0, base.exit(), base.out() + base.err());
    String baseId = ActivityHistory.startedId(base.out());
    List<BaseBackupManifest> bases = new BaseBackups(stack.store(), stack.prefix, dbName)
        .committed();
    assertEquals(1, bases.size());
    assertTrue(bases.get(0).verified());
    assertTrue(bases.get(0).sourceAddress().contains(estate.address("db1")),
        bases.get(0).sourceAddress());
    assertEquals(systemId, bases.get(0).systemIdentifier(), "the base backup is db1's cluster");
    phase("1. backup db + backup base of db1", t);

    // 2. WAL archived by db1 (bin/lifeboat-wal as postgres, through db1's forwarder): a row
    // before T, T, a row after T, everything archived
    t = System.nanoTime();
    insertUser("before-t");
    Thread.sleep(1100);
    String pointInTime = db1.sql("select to_char(clock_timestamp() at time zone 'UTC',"
        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    Thread.sleep(1100);
    insertUser("after-t");
    String walName = db1.archiveAll();
    RealStack.Run check = cli("wal", "check", dbName, "--json");
    assertEquals(0, check.exit(), check.err() + check.out());
    JsonNode c = new ObjectMapper().readTree(check.out());
    assertTrue(c.get("continuous").asBoolean(), check.out());
    phase("2. WAL from db1 up to " + walName, t);

    // 3. backup app and rollback app on app1, through app1's agent
    t = System.nanoTime();
    RealStack.Run appBackup = cli("backup", "app", appName, "--wait");
    assertEquals(0, appBackup.exit(), appBackup.out() + appBackup.err());
    String appBackupId = ActivityHistory.startedId(appBackup.out());
    estate.exec("app1", "bash", "-c", "echo '{ this is not json' >" + RELEASES
        + "/current/release.json");
    awaitApp1(500);
    RealStack.Run rollback = cli("rollback", "app", appName, "--wait");
    assertEquals(0, rollback.exit(), rollback.out() + rollback.err()
        + estate.log("agent-app1"));
    awaitApp1(200);
    assertEquals("r1", estate.exec("app1", "cat", RELEASES + "/current/REVISION").strip());
    String rollbackId = ApplicationRollbackWorkflow.workflowId(stack.tag, appName);
    phase("3. backup app + rollback app on app1", t);
    // the agents are processes of their hosts (the exec chain has long ended in their JVMs)
    assertEquals(Estate.netnsOf("db1"), Estate.netnsOfPid(db1Agent.pid()));
    assertEquals(Estate.netnsOf("app1"), Estate.netnsOfPid(app1Agent.pid()));

    // 4. recover db --to T on db1: the data directory steps on db1's agent, inside db1
    t = System.nanoTime();
    RealStack.Run pitr = cli("recover", "db", dbName, "--to", pointInTime, "--wait");
    assertEquals(0, pitr.exit(), pitr.out() + pitr.err() + "\nagent-db1:\n"
        + estate.log("agent-db1"));
    String pitrId = DatabaseRecoveryWorkflow.workflowId(stack.tag, dbName);
    assertEquals("1", countUsers("before-t"), "the row before T is back");
    assertEquals("0", countUsers("after-t"), "the row after T is gone");
    long recovered = db1.postmaster();
    assertNotEquals(postmaster, recovered, "a new postmaster");
    assertEquals(Estate.netnsOf("db1"), Estate.netnsOfPid(recovered));
    assertEquals(systemId, db1.sql("postgres",
        "select system_identifier from pg_control_system()"));
    // production goes on, on its new timeline; what it writes is archived
    insertUser("after-pitr");
    db1.archiveAll();
    String users = db1.sql("select count(*) from users");
    String tallies = db1.sql("select count(*) from tallies");
    phase("4. recover db --to T on db1", t);

    // 5. production is lost: db1 and app1 (their agents, PostgreSQL, PM2, sshd) are stopped
    t = System.nanoTime();
    estate.stop("db1");
    estate.stop("app1");
    assertTrue(db1Agent.waitFor(30, TimeUnit.SECONDS), "db1's agent is gone");
    assertTrue(app1Agent.waitFor(30, TimeUnit.SECONDS), "app1's agent is gone");
    for (String h : List.of("db1", "app1")) {
      assertEquals("", ArchivingCluster.sh("ip", "netns", "pids", "lbe-" + h).strip(),
          h + " runs nothing");
    }
    RealStack.Run gone = estate.ssh("db1", "true");
    assertNotEquals(0, gone.exit(), "db1 no longer answers: " + gone.out());
    phase("5. db1 and app1 stopped", t);

    // 6. recover server onto dr: provisioning approved with dr's address, ansible over SSH
    // with dr's key pinned, database and application rebuilt through dr's agent
    t = System.nanoTime();
    Process drAgent = estate.startAgent("dr", config, q, "agent-dr", agentEnv);
    String drId = "agent@dr/" + drAgent.pid();
    String dr = estate.address("dr");
    RealStack.Run started = cli("recover", "server", "--target", target);
    assertEquals(0, started.exit(), started.out() + started.err());
    String id = serverId();
    awaitWaiting(client, id, "provision");
    RealStack.Run ok = cli("approve", id, "provision", "--by", "dana", "--value", dr,
        "--reason", "dr built");
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    awaitWaiting(client, id, "dns");
    pointDns(dr);
    RealStack.Run dns = cli("approve", id, "dns", "--by", "dana", "--value", dr);
    assertEquals(0, dns.exit(), dns.out() + dns.err());
    ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
        .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
    assertEquals("succeeded", r.report().outcome(),
        r.report().notes() + "\nagent-dr:\n" + estate.log("agent-dr"));
    assertTrue(r.health().healthy(), r.health().toString());
    assertEquals("users=" + users, r.health().data().split(" ")[0], r.health().data());
    phase("6. recover server onto dr", t);

    // The test's own look: HTTPS through dr's nginx on dr's address, pebble's root only
    String stats = https(dr, "/api/stats");
    assertTrue(stats.contains("\"users\":" + users) && stats.contains("\"tallies\":" + tallies),
        stats);
    assertTrue(https(dr, "/api/health").contains("\"status\":\"ok\""));
    // db1's history as recovered on dr: T's recovery, then the new timeline's row
    assertEquals("1", drUsers("before-t"));
    assertEquals("0", drUsers("after-t"));
    assertEquals("1", drUsers("after-pitr"), "dr followed db1's new timeline");
    String drPid = estate.exec("dr", "head", "-1", DR_ROOT + "/postgresql/data/postmaster.pid")
        .strip();
    assertEquals(Estate.netnsOf("dr"), Estate.netnsOfPid(Long.parseLong(drPid)));
    assertEquals(Estate.netnsOf("dr"), Estate.netnsOfPid(drAgent.pid()));

    // Where each activity ran: host-bound on its host's agent, the rest on the control worker
    Map<String, TreeSet<String>> onAgents = new LinkedHashMap<>();
    onAgents.put("dump", ActivityHistory.assertPlaced(client, dumpId, db1Id, q + "-host-db1", q)
        .onAgent());
    onAgents.put("base", ActivityHistory.assertPlaced(client, baseId, db1Id, q + "-host-db1", q)
        .onAgent());
    onAgents.put("backup app", ActivityHistory.assertPlaced(client, appBackupId, app1Id,
        q + "-host-app1", q).onAgent());
    onAgents.put("rollback", ActivityHistory.assertPlaced(client, rollbackId, app1Id,
        q + "-host-app1", q).onAgent());
    onAgents.put("pitr", ActivityHistory.assertPlaced(client, pitrId, db1Id, q + "-host-db1", q)
        .onAgent());
    TreeSet<String> onDr = new TreeSet<>();
    TreeSet<String> drControl = new TreeSet<>();
    for (String wf : List.of(id, id + "-db-" + dbName)) {
      var p = ActivityHistory.assertPlaced(client, wf, drId, q + "-host-dr", q);
      onDr.addAll(p.onAgent());
      drControl.addAll(p.onControl());
    }
    onAgents.put("recover server", onDr);
    onAgents.forEach((k, v) -> System.out.println("host-bound steps of " + k + ": " + v));
    assertEquals(new TreeSet<>(), onAgents.get("dump"), "a dump is an anywhere step");
    assertEquals(new TreeSet<>(), onAgents.get("base"), "a base backup is an anywhere step");
    assertHas(onAgents.get("backup app"), "ArchiveActivities", "inspectRelease",
        "archiveToRepository");
    assertHas(onAgents.get("rollback"), "RollbackActivities", "stageRelease", "swapRelease",
        "startApp", "verifyHealth");
    assertHas(onAgents.get("pitr"), "DatabaseRecoveryActivities", "prepareScratch",
        "downloadBase", "replay", "swapDataDirectory");
    assertHas(onDr, "DatabaseRecoveryActivities", "prepareScratch", "downloadBase", "replay",
        "swapDataDirectory");
    assertHas(onDr, "RollbackActivities", "stageRelease", "installDependencies", "swapRelease",
        "startApp", "verifyHealth");
    assertHas(onDr, "ServerRecoveryActivities", "savePm2", "startNginx", "issueCertificate");
    assertHas(drControl, "ServerRecoveryActivities", "runPlaybook", "newestRelease",
        "checkHttps");
    for (String s : List.of("application", "services", "tls")) {
      StepTiming st = step(r, s);
      assertEquals("dr", st.host(), st.toString());
      assertTrue(st.agent() != null && st.agent().contains(drId), st.toString());
    }

    // Ansible came in over SSH as root with the client key (dr's sshd says so)
    String sshd = Files.readString(Estate.RUN.resolve("dr/sshd.log"));
    assertTrue(sshd.contains("Accepted publickey for root from 10.231.77.1"), sshd);

    // Each host's files are its own: none of them exist in the control worker's filesystem
    for (String p : List.of(DR_ROOT + "/postgresql/data/PG_VERSION",
        DR_ROOT + "/app/" + appName + "/current/server.js", DR_ROOT + "/nginx/conf/nginx.conf",
        DR_ROOT + "/letsencrypt/config/live/" + domain + "/fullchain.pem")) {
      estate.exec("dr", "test", "-f", p);
      assertFalse(Files.exists(Path.of(p)), p + " exists on the control worker's machine");
    }
    estate.exec("dr", "test", "-d", DR_ROOT + "/pm2");
    assertFalse(Files.exists(Path.of(DR_ROOT)), DR_ROOT + " exists on the control worker");
    estate.exec("db1", "test", "-f", db1.pgdata + "/PG_VERSION");
    assertFalse(Files.exists(Path.of(db1.pgdata)), "db1's data directory is db1's only");
    estate.exec("app1", "test", "-f", RELEASES + "/current/REVISION");
    assertFalse(Files.exists(Path.of(RELEASES + "/current/REVISION")), "app1's release root");
    assertEquals("off", drSql("show archive_mode"));
    phases.put("the whole test body", (System.nanoTime() - start) / 1_000_000);
  }

  private void insertUser(String what) throws Exception {
    db1.sql("insert into users(email, created_at) values ('" + what + "@farmtally.test',"
        + " now())");
  }

  private String countUsers(String what) throws Exception {
    return db1.sql("select count(*) from users where email = '" + what + "@farmtally.test'");
  }

  private String drUsers(String what) throws Exception {
    return drSql("select count(*) from users where email = '" + what + "@farmtally.test'");
  }

  /** SQL from the root namespace over TCP to dr's restored cluster, as the control worker. */
  private String drSql(String sql) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(RealStack.pg("psql"), "-X", "-q", "-t", "-A",
        "-h", estate.address("dr"), "-p", String.valueOf(DR_PG_PORT), "-U", "lifeboat", "-d",
        dbName, "-c", sql).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", System.getenv("LIFEBOAT_PG_PASSWORD"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static void assertHas(TreeSet<String> ran, String type, String... methods) {
    for (String m : methods) {
      assertTrue(ran.contains(ActivityHistory.typeName(type, m)), m + " not in " + ran);
    }
  }

  /** Waits until GET /api/health inside app1 answers {@code status}. */
  private void awaitApp1(int status) throws Exception {
    String got = "";
    for (int i = 0; i < 300; i++) {
      got = estate.exec("app1", "bash", "-c", "curl -s -o /dev/null -w '%{http_code}'"
          + " http://127.0.0.1:" + appPort + "/api/health || true").strip();
      if (got.equals(String.valueOf(status))) return;
      Thread.sleep(200);
    }
    throw new AssertionError("app1's app never answered " + status + " (last " + got + "): "
        + estate.exec("app1", "bash", "-c", "cat /opt/pm2-start.log; tail -20 " + PM2_HOME
            + "/pm2.log || true"));
  }

  /** Waits until the run waits for {@code step}; fails at once when the run has ended. */
  private void awaitWaiting(WorkflowClient client, String id, String step) throws Exception {
    for (int i = 0; i < 3000; i++) {
      var status = client.newUntypedWorkflowStub(id).describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw new AssertionError(id + " ended (" + status + ") before waiting for " + step
            + "\nagent-dr:\n" + estate.log("agent-dr"));
      }
      try {
        var p = client.newUntypedWorkflowStub(id).query("progress",
            ServerRecoveryProgress.class);
        if (p.waiting().stream().anyMatch(w -> w.step().equals(step))) return;
      } catch (RuntimeException noWorkerYet) {
        // a query needs a worker; the next round asks again
      }
      Thread.sleep(200);
    }
    throw new AssertionError(id + " never waited for " + step);
  }

  /** The person's DNS change: the domain's A record names dr's address. */
  private void pointDns(String address) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(acme.dnsManagement + "/add-a")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"host\":\"" + domain + ".\",\"addresses\":[\"" + address + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private String https(String address, String path) throws Exception {
    Path rootPem = stack.dir.resolve("pebble-root.pem");
    ArchivingCluster.sh("curl", "-fsS", "--cacert", acme.ca.toString(), "-o", rootPem.toString(),
        acme.rootUrl);
    return ArchivingCluster.sh("curl", "-fsS", "--resolve", domain + ":" + httpsPort + ":"
        + address, "--cacert", rootPem.toString(), "https://" + domain + ":" + httpsPort + path);
  }

  private RealStack.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return stack.cli(all.toArray(String[]::new));
  }

  private static StepTiming step(ServerRecoveryResult r, String name) {
    return r.steps().stream().filter(s -> s.step().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name + " in " + r.steps()));
  }

  private void phase(String what, long since) {
    phases.put(what, (System.nanoTime() - since) / 1_000_000);
  }
}
