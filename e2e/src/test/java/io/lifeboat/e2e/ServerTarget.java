package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.recover.server.ServerRecoveryProgress;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the server recovery tests share: a production estate (an archiving PostgreSQL cluster
 * with FarmTally-shaped data, the sample app under PM2, a base backup and an app backup in the
 * test's prefix) and an empty second server to recover onto: 127.0.0.2 (or the address given,
 * e.g. the fault suite's 127.0.0.3), its own ports and a bare directory root under /tmp that
 * the postgres OS user can enter. A local ACME server
 * (pebble + challtestsrv: the stack's, or a {@link LocalAcme} of the test's own) issues its
 * certificate for real.
 */
final class ServerTarget implements AutoCloseable {
  /** The address of the stack's `dr` target, where the shared ACME server checks HTTP-01. */
  static final String ADDRESS = "127.0.0.2";

  final RealStack stack;
  final LocalAcme acme;
  /** Where the new server answers: {@link #ADDRESS}, or another loopback address of its own. */
  final String address;
  final SampleApp app;
  final Path root;
  final String domain;
  final String db;
  final int httpsPort = SampleApp.freePort();
  final int appPort = SampleApp.freePort();
  final int pgPort = SampleApp.freePort();
  final Path config;
  /** servers[0].name: dr, unless the test's {@code more} renames it (a run of its own). */
  String name = "dr";
  ArchivingCluster cluster;

  /** On the stack's ACME server (`./lifeboat up`), at {@link #ADDRESS}. */
  ServerTarget(RealStack stack, SampleApp app) throws Exception {
    this(stack, app, LocalAcme.shared(), ADDRESS);
  }

  /**
   * On {@code acme}, at {@code address}: nginx's HTTP port is the one that ACME server checks
   * HTTP-01 on, every other port is free, the root is the test's own.
   */
  ServerTarget(RealStack stack, SampleApp app, LocalAcme acme, String address) throws Exception {
    this(stack, app, acme, address, c -> { });
  }

  /** The same, with more of the config set by {@code more} (e.g. a configuration backup). */
  ServerTarget(RealStack stack, SampleApp app, LocalAcme acme, String address,
      java.util.function.Consumer<ObjectNode> more) throws Exception {
    this.stack = stack;
    this.app = app;
    this.acme = acme;
    this.address = address;
    this.root = Path.of("/tmp", "lifeboat-srv-" + stack.tag);
    this.domain = stack.tag + ".farmtally.test";
    this.db = stack.tag + "_srv";
    // Free now is not free later: the target's ports are only picked (nothing listens on them
    // until the recovery), so production's cluster could be handed one of them (a fault-suite
    // run got pgPort twice and the CLI rightly called dr the production server).
    int picked = ArchivingCluster.freePort();
    while (picked == pgPort || picked == httpsPort || picked == appPort) {
      picked = ArchivingCluster.freePort();
    }
    int sourcePort = picked;
    config = stack.config("server", c -> {
      ArchivingCluster.point(c, db, sourcePort);
      app.addTo(c);
      c.putObject("metrics").put("port", SampleApp.freePort());
      // A killed attempt is noticed after the heartbeat timeout; retry soon after that.
      c.putObject("retries").put("maxAttempts", 5).put("initialIntervalSeconds", 1)
          .put("maxIntervalSeconds", 2);
      ObjectNode t = c.putArray("servers").addObject();
      t.put("name", "dr").put("address", address).put("root", root.toString())
          .put("domain", domain).put("httpPort", acme.httpPort).put("httpsPort", httpsPort)
          .put("appPort", appPort).put("database", db).put("application", "farmtally")
          .put("inventory", example("ansible/inventory.ini"))
          .put("playbook", example("ansible/site.yml"));
      t.putObject("postgres").put("host", "127.0.0.1").put("port", pgPort)
          .put("binDir", Path.of(RealStack.pg("pg_ctl")).getParent().toString())
          .put("osUser", "postgres");
      // Production (the test's cluster) lives on: the copy must not archive into its archive.
      ((ObjectNode) t.get("postgres")).putArray("settings").add("archive_mode=off");
      t.putObject("acme").put("directory", acme.directory)
          .put("caBundle", acme.ca.toString())
          .put("rootUrl", acme.rootUrl);
      more.accept(c);
      name = t.get("name").asText();
    });
    if (!Files.isRegularFile(acme.ca)) {
      throw new IllegalStateException("no pebble CA at " + acme.ca + ": start the local ACME"
          + " server (./lifeboat up, or ./lifeboat acme start)");
    }
    Files.createDirectories(root);
    ArchivingCluster.sh("chmod", "755", root.toString());
    cluster = new ArchivingCluster(stack.tag, db, sourcePort, config);
  }

  private static String example(String rel) {
    return Path.of("../examples/farmtally", rel).toAbsolutePath().normalize().toString();
  }

  /** Production: data, a base backup, one more row after it (only WAL replay brings it), app backup. */
  void backUpProduction() throws Exception {
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
    RealStack.Run r = stack.cli("backup", "app", "farmtally", "--wait", "--config",
        config.toString());
    if (r.exit() != 0) throw new AssertionError("backup app failed: " + r.out() + r.err());
  }

  /** What the recovered cluster on the target says, over TCP as the test's superuser. */
  String targetSql(String sql) throws Exception {
    return ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-h", "127.0.0.1",
        "-p", String.valueOf(pgPort), "-U", "postgres", "-d", db, "-c", sql).strip();
  }

  String sourceUsers() throws Exception {
    return PitrFixture.psql(cluster, "select count(*) from users");
  }

  RealStack.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return stack.cli(all.toArray(String[]::new));
  }

  /** Waits until the workflow waits for {@code step}. */
  static WaitingStep awaitWaiting(WorkflowClient client, String workflowId, String step)
      throws Exception {
    for (int i = 0; i < 6000; i++) {
      try {
        ServerRecoveryProgress p = client.newUntypedWorkflowStub(workflowId)
            .query("progress", ServerRecoveryProgress.class);
        Optional<WaitingStep> w = p.waiting().stream().filter(s -> s.step().equals(step))
            .findFirst();
        if (w.isPresent()) return w.get();
      } catch (RuntimeException noWorkerYet) {
        // a query needs a worker; the next round asks again
      }
      Thread.sleep(200);
    }
    throw new AssertionError(workflowId + " never waited for " + step);
  }

  /** The person's DNS change: the domain's A record now names the new server. */
  void pointDns() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(acme.dnsManagement + "/add-a")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"host\":\"" + domain + ".\",\"addresses\":[\"" + address + "\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  /** GET over HTTPS through the target's nginx, trusting only pebble's current root. */
  String https(String path) throws Exception {
    Path rootPem = stack.dir.resolve("pebble-root.pem");
    ArchivingCluster.sh("curl", "-fsS", "--cacert", acme.ca.toString(), "-o", rootPem.toString(),
        acme.rootUrl);
    return ArchivingCluster.sh("curl", "-fsS", "--resolve", domain + ":" + httpsPort + ":" + address,
        "--cacert", rootPem.toString(), "https://" + domain + ":" + httpsPort + path);
  }

  @Override
  public void close() throws Exception {
    try {
      // A failed test must not leave its recovery running: the next one would be refused.
      try {
        stack.temporal().client().newUntypedWorkflowStub("recover-server-" + name)
            .terminate("test over");
      } catch (RuntimeException notRunning) {
        // finished already
      }
      stack.cli("target", "reset", name, "--config", config.toString());
    } finally {
      try {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(acme.dnsManagement
            + "/clear-a")).POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + domain
                + ".\"}")).build(), HttpResponse.BodyHandlers.discarding());
      } catch (Exception ignored) {
        // pebble-challtestsrv not running: nothing to clear
      }
      if (cluster != null) cluster.close();
    }
  }
}
