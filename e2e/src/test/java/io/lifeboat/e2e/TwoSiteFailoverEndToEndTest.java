package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.OffsiteCopyWorkflow;
import io.lifeboat.recover.server.ServerRecoveryProgress;
import io.lifeboat.recover.server.ServerRecoveryResult;
import io.lifeboat.worker.TemporalConnection;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 18's region failover on two sites of the namespaced estate.
 *
 * <p>Site A: the production host {@code prod} (an estate machine running PostgreSQL 15, which
 * archives its WAL through the distribution's {@code lifeboat-wal} into site A's S3, and the
 * sample app under PM2 with its own agent), site A's S3 (the primary repository: an s3proxy of
 * the test's own), site A's Temporal (a `temporal server start-dev` of the test's own) and
 * site A's control worker. Site B: the host {@code dr} (sshd, nginx, its agent once the
 * failover starts) and the offsite S3 (another s3proxy of the test's own); nothing else.
 *
 * <p>After a base backup, an application backup, their offsite copies and `schedules apply`
 * (the WAL sync every minute, {@code targets.rpoMinutes} 2), steady inserts into prod's
 * database (each committed row's time logged by the client) run for longer than the RPO; then
 * site A is lost at once while they run: every process of prod, the S3 and Temporal killed,
 * and their data (prod's data directory and release root, the bucket's directory, Temporal's
 * database file) deleted. A fresh Temporal on the same address, a control worker and dr's
 * agent start with the same config file and keys; `recover server --target dr --from offsite`
 * (the provisioning and DNS approvals given by a person) ends with the app answering over
 * HTTPS on dr with the restored rows. The data lost is measured: the last row the client saw
 * committed on site A against the last row restored on dr, which must be within the RPO.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class TwoSiteFailoverEndToEndTest {
  private static final String PG_BIN = "/usr/lib/postgresql/15/bin";
  private static final String PGDATA = "/var/lib/postgresql/15/main";
  private static final String SOCKET = "/var/lib/postgresql/run";
  private static final String RELEASE_ROOT = "/opt/farmtally";
  private static final String DR_ROOT = "/opt/dr";
  private static final int RPO_MINUTES = 2;
  /** Longer than the RPO: without the WAL reaching the offsite continuously, the loss exceeds it. */
  private static final int LOAD_SECONDS = 150;

  private final LocalAcme acme = LocalAcme.shared();
  private RealStack stack;
  private WorkerJvm workers;
  private OffsiteProxy offsite;
  private SiteS3 siteS3;
  private DevTemporal siteTemporal;
  private DevTemporal drTemporal;
  private Estate estate;
  private Path config;
  private String db;
  private String appName;
  private String prod;
  private String dr;
  private String domain;
  private Path committedLog;
  private final int appPort = SampleApp.freePort();
  private final int drAppPort = SampleApp.freePort();
  private final int drPgPort = SampleApp.freePort();
  private final int httpsPort = SampleApp.freePort();
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void up() throws Exception {
    Path tarball = tarball();
    if (!Files.isRegularFile(acme.ca)) {
      throw new IllegalStateException("no pebble CA at " + acme.ca + ": start the local ACME"
          + " server (./lifeboat up, or ./lifeboat acme start), or set LIFEBOAT_ACME_CA");
    }
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    db = "farmtally_" + stack.tag;
    appName = "farmtally-" + stack.tag;
    domain = stack.tag + ".farmtally.test";
    committedLog = stack.dir.resolve("committed.log");
    long t0 = System.nanoTime();
    // Site A's S3 and Temporal, site B's offsite S3: each the test's own, on free ports.
    offsite = new OffsiteProxy();
    siteS3 = new SiteS3("farmtally-site-a", System.getenv("LIFEBOAT_S3_ACCESS_KEY"),
        System.getenv("LIFEBOAT_S3_SECRET_KEY"));
    int temporalPort = ArchivingCluster.freePort();
    siteTemporal = new DevTemporal(temporalPort, stack.dir.resolve("site-a"), "temporal");
    env.putAll(offsite.env());
    env.put("LIFEBOAT_PM2_BIN", SampleApp.pm2Bin());
    int acmePort = URI.create(acme.directory).getPort();
    // Every machine reaches these through its own loopback (estate.bash's forwarders).
    estate = new Estate(stack.dir, Map.of("LIFEBOAT_ESTATE_PORTS", temporalPort + " "
        + siteS3.port + " " + offsite.port + " " + acmePort), "prod", "dr");
    prod = estate.address("prod");
    dr = estate.address("dr");
    Path inventory = stack.dir.resolve("inventory.ini");
    Files.writeString(inventory, "[recovery]\ndr ansible_host=" + dr
        + " ansible_user=root ansible_ssh_private_key_file=" + Estate.RUN.resolve("client_key")
        + " ansible_python_interpreter=/usr/bin/python3 ansible_remote_tmp=/opt/.ansible-tmp"
        + " ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes"
        + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + Estate.RUN.resolve("known_hosts")
        + " -o GlobalKnownHostsFile=/dev/null'\n");
    int metricsPort = ArchivingCluster.freePort();
    // The one config of the estate: site A's control worker, the agents, the CLI and, after
    // the loss, site B's control worker all read this same file.
    config = stack.config("estate", root -> configure(root, temporalPort, metricsPort, inventory,
        null));
    // prod's own copy: its key file is prod's, under /etc/lifeboat
    Path prodConfig = stack.config("prod-host", root -> configure(root, temporalPort,
        metricsPort, inventory, "/etc/lifeboat/repository.json"));
    setUpProd(tarball, prodConfig);
    Path mime = stack.dir.resolve("mime.types");
    Files.copy(Path.of("/etc/nginx/mime.types"), mime);
    estate.exec("dr", "install", "-m", "0644", mime.toString(), "/etc/nginx/mime.types");
    System.out.printf("two sites up (S3, Temporal, offsite, prod with PostgreSQL and the app)"
        + " in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  private void configure(ObjectNode root, int temporalPort, int metricsPort, Path inventory,
      String keyFile) {
    ((ObjectNode) root.with("temporal")).put("address", "127.0.0.1:" + temporalPort);
    ObjectNode repo = (ObjectNode) root.get("repository");
    repo.put("endpoint", siteS3.endpoint).put("bucket", siteS3.bucket);
    if (keyFile != null) repo.putObject("encryption").put("keyFile", keyFile);
    offsite.addTo(root).put("walSyncMinutes", 1);
    root.putObject("targets").put("rpoMinutes", RPO_MINUTES).put("databaseRtoMinutes", 30)
        .put("serverRtoMinutes", 120);
    root.putObject("metrics").put("port", metricsPort);
    root.putObject("retries").put("maxAttempts", 5).put("initialIntervalSeconds", 1)
        .put("maxIntervalSeconds", 2);
    var hosts = root.putArray("hosts");
    ObjectNode p = hosts.addObject().put("name", "prod").put("address", prod);
    p.putArray("roles").add("database").add("application");
    ObjectNode d = hosts.addObject().put("name", "dr").put("address", dr);
    d.putArray("roles").add("database").add("application").add("proxy");
    ObjectNode database = RealStack.addDatabase(root, db);
    database.put("host", prod).put("port", 5432).put("user", "postgres");
    database.remove("passwordEnv");
    ObjectNode app = root.putArray("applications").addObject();
    app.put("name", appName).put("host", "prod").put("releaseRoot", RELEASE_ROOT)
        .put("pm2Name", appName).put("ecosystemFile", RELEASE_ROOT + "/ecosystem.config.js")
        .put("pm2Home", "/opt/pm2").put("healthUrl", "http://" + prod + ":" + appPort
            + "/api/health");
    ObjectNode t = root.putArray("servers").addObject();
    t.put("name", "dr").put("host", "dr").put("address", dr).put("root", DR_ROOT)
        .put("domain", domain).put("httpPort", acme.httpPort).put("httpsPort", httpsPort)
        .put("appPort", drAppPort).put("database", db).put("application", appName)
        .put("inventory", inventory.toString())
        .put("playbook", Path.of("../examples/farmtally/ansible/site.yml").toAbsolutePath()
            .normalize().toString());
    t.putObject("postgres").put("port", drPgPort).put("binDir", PG_BIN).put("osUser", "postgres");
    t.putObject("acme").put("directory", acme.directory).put("caBundle", acme.ca.toString())
        .put("rootUrl", acme.rootUrl);
  }

  /**
   * prod as a host installs it: the distribution unpacked in /opt/lifeboat, PostgreSQL 15 as the
   * postgres user archiving through bin/lifeboat-wal (archive_timeout 10 s: a quiet database
   * still ships its WAL), the FarmTally fixture, and the sample app under PM2 on prod's address.
   */
  private void setUpProd(Path tarball, Path prodConfig) throws Exception {
    Path key = Path.of(stack.base.repository().encryption().keyFile());
    Path envSource = stack.dir.resolve("prod.env");
    Files.writeString(envSource, String.join("\n",
        "LIFEBOAT_CONFIG=/etc/lifeboat/lifeboat.yml",
        "LIFEBOAT_WAL_SPOOL=/var/lib/postgresql/wal-spool",
        "LIFEBOAT_HOME=/opt/lifeboat",
        "LIFEBOAT_JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
        "LIFEBOAT_S3_ACCESS_KEY=" + System.getenv("LIFEBOAT_S3_ACCESS_KEY"),
        "LIFEBOAT_S3_SECRET_KEY=" + System.getenv("LIFEBOAT_S3_SECRET_KEY"),
        "LIFEBOAT_WAL_SHIP_IDLE=2", ""));
    Path fixture = stack.dir.resolve("fixture.sql");
    try (InputStream in = getClass().getResourceAsStream("/fixture.sql")) {
      Files.copy(in, fixture);
    }
    Path ecosystem = stack.dir.resolve("ecosystem.config.js");
    Files.writeString(ecosystem, "module.exports = { apps: [{ name: '" + appName + "',"
        + " cwd: '" + RELEASE_ROOT + "/current', script: 'server.js', env: { NODE_ENV:"
        + " 'production', HOST: '" + prod + "', PORT: '" + appPort + "', PGHOST: '" + SOCKET
        + "', PGPORT: '5432', PGDATABASE: '" + db + "', PGUSER: 'postgres', PSQL: '" + PG_BIN
        + "/psql' }, autorestart: true }] };\n");
    String archive = "/opt/lifeboat/bin/lifeboat-wal push --database " + db + " %p %f";
    estate.exec("prod", "bash", "-c", String.join("\n",
        "set -euo pipefail",
        "cd /",
        "tar -C /opt -xzf \"$1\"; mv /opt/lifeboat-*/ /opt/lifeboat; chmod -R a+rX /opt/lifeboat",
        "install -m 0640 -o root -g postgres \"$2\" /etc/lifeboat/lifeboat.yml",
        "install -m 0640 -o root -g postgres \"$3\" /etc/lifeboat/repository.json",
        "install -m 0600 -o postgres -g postgres \"$4\" /etc/lifeboat/lifeboat.env",
        "install -d -m 0700 -o postgres -g postgres /var/lib/postgresql/15 " + PGDATA
            + " /var/lib/postgresql/wal-spool",
        "install -d -m 0755 -o postgres -g postgres " + SOCKET,
        "chown postgres:postgres /var/lib/postgresql",
        "runuser -u postgres -- " + PG_BIN + "/initdb -D " + PGDATA + " -U postgres"
            + " --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null",
        "cat >>" + PGDATA + "/postgresql.conf <<EOF",
        "listen_addresses = '127.0.0.1,$5'",
        "port = 5432",
        "unix_socket_directories = '" + SOCKET + "'",
        "wal_level = replica",
        "max_wal_senders = 4",
        "archive_mode = on",
        "archive_command = '" + archive + "'",
        "archive_timeout = 10",
        "shared_buffers = 32MB",
        "EOF",
        // the private bridge of the estate: the control worker's backups, and (carried to dr by
        // the base backup) the control worker's checks and dr's app on the restored cluster
        "printf 'host all all 10.231.77.0/24 trust\\nhost replication all 10.231.77.0/24"
            + " trust\\n' >>" + PGDATA + "/pg_hba.conf",
        "runuser -u postgres -- " + PG_BIN + "/pg_ctl -D " + PGDATA
            + " -l /var/lib/postgresql/postgres.log -w -t 60 start >/dev/null",
        PG_BIN + "/psql -X -q -v ON_ERROR_STOP=1 -h " + SOCKET + " -U postgres -d postgres"
            + " -c 'create database " + db + "'",
        PG_BIN + "/psql -X -q -v ON_ERROR_STOP=1 -v rows=2000 -h " + SOCKET
            + " -U postgres -d " + db + " -f \"$6\"",
        // the app: a release in /opt/farmtally/current (and the one before it), PM2's home in /opt
        "mkdir -p " + RELEASE_ROOT,
        "cp -r \"$7\" " + RELEASE_ROOT + "/previous; cp -r \"$7\" " + RELEASE_ROOT + "/current",
        "install -m 0644 \"$8\" " + RELEASE_ROOT + "/ecosystem.config.js",
        "PM2_HOME=/opt/pm2 \"$9\" start " + RELEASE_ROOT + "/ecosystem.config.js >/dev/null"),
        "prod-setup", tarball.toString(), prodConfig.toString(), key.toString(),
        envSource.toString(), prod, fixture.toString(), SampleApp.SOURCE.toString(),
        ecosystem.toString(), SampleApp.pm2Bin());
    for (int i = 0; !curl("http://" + prod + ":" + appPort + "/api/stats").contains("\"users\"");
        i++) {
      if (i > 300) throw new IllegalStateException("prod's app never answered");
      Thread.sleep(100);
    }
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (workers != null) workers.close();
    } finally {
      try {
        if (estate != null) estate.close();
      } finally {
        for (AutoCloseable c : new AutoCloseable[] {drTemporal, siteTemporal, siteS3, offsite}) {
          try {
            if (c != null) c.close();
          } catch (Exception ignored) {
            // best effort
          }
        }
        if (stack != null) stack.close();
      }
    }
  }

  @Test
  void siteALostRecoverServerOntoSiteBFromTheOffsiteWithinTheRpo() throws Exception {
    long t0 = System.nanoTime();
    LifeboatConfig c = new ConfigLoader().load(config);
    // Site A at work: its control worker and prod's agent on site A's Temporal.
    Process controlA = workers.start(config, stack.taskQueue, "control-a", env);
    estate.startAgent("prod", config, stack.taskQueue, "agent-prod", env);
    RealStack.Run base = cli("backup", "base", db, "--wait");
    assertEquals(0, base.exit(), base.out() + base.err() + workers.log("control-a"));
    RealStack.Run appBackup = cli("backup", "app", appName, "--wait");
    assertEquals(0, appBackup.exit(), appBackup.out() + appBackup.err()
        + estate.log("agent-prod"));
    RealStack.Run apply = cli("schedules", "apply", "--database", db);
    assertEquals(0, apply.exit(), apply.out() + apply.err());
    String walSync = OffsiteCopyWorkflow.walSyncWorkflowId(c.estate(), db);
    assertTrue(apply.out().contains("created schedule " + walSync + ": '*/1 * * * *'"),
        apply.out());
    // the backups' own offsite copies may still run: a sync makes sure both are there
    RealStack.Run sync = cli("offsite", "sync", "--wait");
    assertEquals(0, sync.exit(), sync.out() + sync.err());
    System.out.printf("site A: base backup, app backup, offsite copies in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);

    // Steady inserts; the client logs the commit time of each row it saw committed.
    Process load = startLoad();
    Thread.sleep(LOAD_SECONDS * 1000L);
    assertTrue(load.isAlive(), "the load ran until the loss");
    List<CopyRecord> walSyncs = walSyncs(walSync);

    // The loss: all of site A at once, data gone.
    Instant loss = Instant.now();
    loseProd();
    WorkerJvm.kill(controlA);
    siteTemporal.lose();
    siteS3.lose();
    load.waitFor(30, TimeUnit.SECONDS);
    List<Long> committed = committedTimes();
    assertTrue(committed.size() > LOAD_SECONDS, "rows committed on site A: " + committed.size());
    long lastCommitted = committed.get(committed.size() - 1);
    System.out.printf("site A lost at %s: %d rows committed under load, the last at %s;"
        + " %d scheduled WAL syncs ran before: %s%n", loss, committed.size(),
        Instant.ofEpochMilli(lastCommitted), walSyncs.size(), walSyncs.stream()
            .map(r -> r.copied() + " copied, lag " + r.walLagSeconds().get(db) + " s").toList());
    assertTrue(walSyncs.stream().anyMatch(r -> r.copied() > 0),
        "a scheduled WAL sync copied WAL offsite during the load: " + walSyncs);

    // Site B: a fresh Temporal on the same address, the same config file and keys.
    long f0 = System.nanoTime();
    drTemporal = new DevTemporal(siteTemporal.port, stack.dir.resolve("site-b"), "temporal");
    try (TemporalConnection fresh = TemporalConnection.open(c.temporal(), env)) {
      WorkflowClient client = fresh.client();
      assertEquals(0, client.listExecutions("").toList().size(), "the fresh Temporal is empty");
      Process controlB = workers.start(config, stack.taskQueue, "control-b", env);
      if (controlB.waitFor(3, TimeUnit.SECONDS)) {
        throw new IllegalStateException("site B's control worker exited: "
            + workers.log("control-b"));
      }
      Process agent = estate.startAgent("dr", config, stack.taskQueue, "agent-dr", env);

      RealStack.Run start = cli("recover", "server", "--target", "dr", "--from", "offsite");
      assertEquals(0, start.exit(), start.out() + start.err());
      String id = "recover-server-dr";
      awaitWaiting(client, id, "provision");
      RealStack.Run ok = cli("approve", id, "provision", "--by", "dana", "--value", dr,
          "--reason", "site A is gone");
      assertEquals(0, ok.exit(), ok.out() + ok.err());
      awaitWaiting(client, id, "dns");
      pointDns();
      RealStack.Run dns = cli("approve", id, "dns", "--by", "dana", "--value", dr);
      assertEquals(0, dns.exit(), dns.out() + dns.err());
      ServerRecoveryResult r = client.newUntypedWorkflowStub(id)
          .getResult(15, TimeUnit.MINUTES, ServerRecoveryResult.class);
      assertEquals("succeeded", r.report().outcome(), r.report().notes() + "\ncontrol:\n"
          + workers.log("control-b") + "\nagent:\n" + estate.log("agent-dr"));
      assertTrue(r.health().healthy(), r.health().toString());
      System.out.printf("site B: fresh Temporal, worker, agent and recover server --from"
          + " offsite in %d ms%n", (System.nanoTime() - f0) / 1_000_000);
      assertEquals(Estate.netnsOf("dr"), Estate.netnsOfPid(agent.pid()));
    }

    // The app answers over HTTPS on dr with the restored rows.
    String users = drSql("select count(*) from users");
    String stats = https("/api/stats");
    assertTrue(stats.contains("\"users\":" + users), stats + " vs " + users);
    assertTrue(https("/api/health").contains("\"status\":\"ok\""));
    assertEquals("off", drSql("show archive_mode"), "dr does not archive into the lost site");
    long restoredRows = Long.parseLong(drSql("select count(*) from users where email like"
        + " 'load-%'"));
    // The newest restored commit; with none of the load's rows restored, everything committed
    // under load is lost (measured from just before the first).
    long lastRestored = restoredRows == 0 ? committed.get(0) - 1 : Long.parseLong(drSql(
        "select max((extract(epoch from created_at) * 1000)::bigint) from users where email"
            + " like 'load-%'"));
    long lostMs = lastCommitted - lastRestored;
    long lostRows = committed.stream().filter(t -> t > lastRestored).count();
    System.out.printf("DATA LOST: %.1f s of commits (%d of %d rows under load; the last"
        + " restored row committed at %s, the last on site A at %s); RPO %d min%n",
        lostMs / 1000.0, lostRows, committed.size(), Instant.ofEpochMilli(lastRestored),
        Instant.ofEpochMilli(lastCommitted), RPO_MINUTES);
    assertTrue(lostMs <= RPO_MINUTES * 60_000L, "lost " + lostMs + " ms of commits, more than"
        + " the RPO of " + RPO_MINUTES + " min");
    assertTrue(committed.contains(lastRestored), "the last restored row is one site A committed");
    assertEquals(committed.size() - lostRows, restoredRows, "the restored rows are a prefix");
    System.out.printf("two-site failover test body: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /** One row every 0.25 s on prod; each committed row's time (ms) appended to committedLog. */
  private Process startLoad() throws Exception {
    String insert = "insert into users(email, created_at) values ('load-' || txid_current()"
        + " || '@farmtally.test', clock_timestamp()) returning (extract(epoch from created_at)"
        + " * 1000)::bigint";
    ProcessBuilder pb = new ProcessBuilder("bash", Estate.SCRIPT.toString(), "exec", "prod",
        "--", "bash", "-c", "while :; do " + PG_BIN + "/psql -X -q -t -A -h " + SOCKET
            + " -U postgres -d " + db + " -c \"$1\" >>\"$2\" || true; sleep 0.25; done",
        "load", insert, committedLog.toString())
        .redirectErrorStream(true).redirectOutput(stack.dir.resolve("load.log").toFile());
    return pb.start();
  }

  private List<Long> committedTimes() throws Exception {
    List<Long> out = new ArrayList<>();
    for (String line : Files.readAllLines(committedLog)) {
      if (line.strip().matches("\\d+")) out.add(Long.parseLong(line.strip()));
    }
    return out;
  }

  /**
   * prod is lost: every process in its namespaces (PostgreSQL, the WAL shipper, PM2 and the
   * app, the agent, sshd, the load's client) killed, its link down, and its data directory,
   * WAL spool and release root deleted.
   */
  private void loseProd() throws Exception {
    String pids = ArchivingCluster.sh("ip", "netns", "pids", "lbe-prod").strip();
    if (!pids.isEmpty()) {
      List<String> kill = new ArrayList<>(List.of("kill", "-9"));
      kill.addAll(List.of(pids.split("\\s+")));
      new ProcessBuilder(kill).start().waitFor();
    }
    ArchivingCluster.sh("ip", "link", "set", "lbe-prod", "down");
    estate.exec("prod", "rm", "-rf", "/var/lib/postgresql/15", "/var/lib/postgresql/wal-spool",
        RELEASE_ROOT, "/opt/pm2");
  }

  /** The scheduled WAL sync runs on site A's Temporal so far, finished ones only. */
  private List<CopyRecord> walSyncs(String scheduleId) throws Exception {
    LifeboatConfig c = new ConfigLoader().load(config);
    List<CopyRecord> out = new ArrayList<>();
    try (TemporalConnection site = TemporalConnection.open(c.temporal(), env)) {
      String query = "LifeboatDatabase='" + db + "' AND LifeboatKind='offsite'";
      for (WorkflowExecutionMetadata m : site.client().listExecutions(query).toList()) {
        String id = m.getExecution().getWorkflowId();
        if (id.startsWith(scheduleId)
            && m.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
          out.add(site.client().newUntypedWorkflowStub(id).getResult(CopyRecord.class));
        }
      }
    }
    return out;
  }

  private String drSql(String sql) throws Exception {
    return ArchivingCluster.sh(PG_BIN + "/psql", "-X", "-q", "-t", "-A", "-h", dr, "-p",
        String.valueOf(drPgPort), "-U", "postgres", "-d", db, "-c", sql).strip();
  }

  private RealStack.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return stack.cli(env, all.toArray(String[]::new));
  }

  private void awaitWaiting(WorkflowClient client, String id, String step) throws Exception {
    for (int i = 0; i < 3000; i++) {
      var status = client.newUntypedWorkflowStub(id).describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw new AssertionError(id + " ended (" + status + ") before waiting for " + step
            + "\ncontrol:\n" + workers.log("control-b") + "\nagent:\n" + estate.log("agent-dr"));
      }
      try {
        var p = client.newUntypedWorkflowStub(id).query("progress", ServerRecoveryProgress.class);
        if (p.waiting().stream().anyMatch(w -> w.step().equals(step))) return;
      } catch (RuntimeException noWorkerYet) {
        // a query needs a worker; the next round asks again
      }
      Thread.sleep(200);
    }
    throw new AssertionError(id + " never waited for " + step);
  }

  /** The person's DNS change: the domain's A record names dr's address. */
  private void pointDns() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(acme.dnsManagement + "/add-a")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"host\":\"" + domain + ".\",\"addresses\":[\"" + dr + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private String https(String path) throws Exception {
    Path rootPem = stack.dir.resolve("pebble-root.pem");
    ArchivingCluster.sh("curl", "-fsS", "--cacert", acme.ca.toString(), "-o", rootPem.toString(),
        acme.rootUrl);
    return ArchivingCluster.sh("curl", "-fsS", "--resolve", domain + ":" + httpsPort + ":" + dr,
        "--cacert", rootPem.toString(), "https://" + domain + ":" + httpsPort + path);
  }

  private static String curl(String url) {
    try {
      return ArchivingCluster.sh("curl", "-sS", "-m", "3", url);
    } catch (Exception e) {
      return "";
    }
  }

  private static Path tarball() throws Exception {
    String env = System.getenv("LIFEBOAT_DIST_TARBALL");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
    Path target = Path.of("../dist/target").toAbsolutePath().normalize();
    try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return s.filter(p -> p.getFileName().toString().matches("lifeboat-.*\\.tar\\.gz"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no distribution tarball in "
              + target + ": mvn -DskipTests package -pl dist -am (or LIFEBOAT_DIST_TARBALL=FILE)"));
    }
  }
}
