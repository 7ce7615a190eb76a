package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.artifact.ArtifactBackupResult;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 17 on machines that are really other machines: an estate of three hosts (db1, app1,
 * dr1), each a network namespace on a private bridge with no route out and a mount namespace
 * with its own /etc/nginx and /opt (tests/estate/estate.bash). The control worker runs here,
 * app1's agent inside app1. `backup config` and `backup app` bound to app1 read what only app1
 * sees; the agent SIGKILLed mid-archive and restarted inside app1 finishes the step; dr1 answers
 * over SSH with its host key pinned.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class EstateEndToEndTest {
  /** Written by the harness inside each host's own /etc/nginx: "NAME TOKEN". */
  private static final String MARKER = "/etc/nginx/lifeboat-estate-host";

  private RealStack stack;
  private WorkerJvm workers;
  private Estate estate;
  private Path config;
  private String appName;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    estate = new Estate(stack.dir, "db1", "app1", "dr1");
    appName = "ft" + stack.tag;
    int metricsPort = ArchivingCluster.freePort();
    config = stack.config("estate", root -> {
      // an estate name of its own: workflow ids (backup-config-ESTATE-manual, rollback-ESTATE-APP)
      // are per estate, and the other e2e classes run beside this one against the same Temporal
      root.put("estate", stack.tag);
      root.putObject("metrics").put("port", metricsPort);
      var hosts = root.putArray("hosts");
      for (var h : estate.hosts.entrySet()) {
        ObjectNode n = hosts.addObject().put("name", h.getKey()).put("address", h.getValue());
        n.putArray("roles").add(h.getKey().startsWith("db") ? "database"
            : h.getKey().startsWith("app") ? "application" : "recovery");
      }
      ObjectNode c = root.putObject("configuration");
      c.put("nginxDir", "/etc/nginx");
      c.put("host", "app1");
      ObjectNode a = root.putArray("applications").addObject();
      a.put("name", appName).put("releaseRoot", "/opt/farmtally").put("pm2Name", appName)
          .put("pm2Home", "/opt/pm2").put("healthUrl", "http://127.0.0.1:3300/api/health")
          .put("host", "app1");
    });
    workers.start(config, stack.taskQueue, "control", Map.of());
  }

  @AfterEach
  void down() throws Exception {
    try {
      workers.close();
    } finally {
      try {
        if (estate != null) estate.close();
      } finally {
        stack.close();
      }
    }
  }

  @Test
  void hostBoundWorkRunsOnItsMachineAndSurvivesItsAgentsDeath() throws Exception {
    WorkflowClient client = stack.temporal().client();
    String marker = estate.exec("app1", "cat", MARKER).strip();
    assertTrue(marker.startsWith("app1 "), marker);
    assertFalse(Files.exists(Path.of(MARKER)), "the marker exists only inside app1");
    assertTrue(estate.exec("dr1", "cat", MARKER).startsWith("dr1 "));

    // 1. backup config before app1 has an agent: it waits, visibly, and goes on when one starts
    RealStack.Run start = stack.cli("backup", "config", "--config", config.toString());
    assertEquals(0, start.exit(), start.err());
    String configId = start.out().replaceAll("(?s).*started configuration backup: (\\S+).*", "$1");
    WorkflowStub configStub = client.newUntypedWorkflowStub(configId);
    assertEquals("agent:app1", awaitWaitingStep(configStub), workers.log("control"));
    Process agent = estate.startAgent("app1", config, stack.taskQueue, "agent-app1");
    ArtifactBackupResult cfg = configStub.getResult(3, TimeUnit.MINUTES,
        ArtifactBackupResult.class);
    assertNull(configStub.describe().getTypedSearchAttributes()
        .get(LifeboatSearchAttributes.WAITING_STEP), "no longer waiting");
    Map<String, List<String>> ran = ActivityHistory.whoRan(client, configId);
    String archiver = ran.get("ArchiveToRepository").get(0);
    assertEquals("agent@app1/" + agent.pid(), archiver, estate.log("agent-app1"));
    assertEquals(Estate.netnsOf("app1"), Estate.netnsOfPid(agent.pid()),
        "the agent lives in app1's network namespace");
    for (String type : List.of("ActivityPollers", "VerifyStoredArchive", "CommitArtifactManifest")) {
      assertFalse(ran.get(type).get(0).startsWith("agent@"), type + " ran on " + ran.get(type));
    }
    // what was archived is app1's /etc/nginx, which the control side has never seen
    Map<String, String> stored = storedFiles(cfg.manifest().objectKey());
    assertEquals(marker + "\n", stored.get("nginx/lifeboat-estate-host"), stored.keySet().toString());
    assertFalse(Files.exists(Path.of(MARKER)));

    // 2. backup app on app1 reads app1's release root; app1's agent is SIGKILLed mid-archive
    String revision = "app1-" + marker.substring(5, 13);
    estate.exec("app1", "bash", "-c", "set -e; for r in previous current; do"
        + " mkdir -p /opt/farmtally/$r; tar -C '" + SampleApp.SOURCE + "' --exclude=node_modules"
        + " -cf - . | tar -C /opt/farmtally/$r -xf -; done;"
        + " echo " + revision + " > /opt/farmtally/current/REVISION;"
        + " head -c 150M /dev/urandom > /opt/farmtally/current/blob.bin");
    assertFalse(Files.exists(Path.of("/opt/farmtally")), "app1's release root is app1's only");
    RealStack.Run app = stack.cli("backup", "app", appName, "--config", config.toString());
    assertEquals(0, app.exit(), app.err());
    String appId = app.out().replaceAll("(?s).*started backup of \\S+: (\\S+).*", "$1");
    awaitStarted(client, appId, "ArchiveToRepository");
    WorkerJvm.kill(agent);
    Process again = estate.startAgent("app1", config, stack.taskQueue, "agent-app1");
    ArtifactBackupResult appResult = client.newUntypedWorkflowStub(appId)
        .getResult(3, TimeUnit.MINUTES, ArtifactBackupResult.class);
    Map<String, List<String>> appRan = ActivityHistory.whoRan(client, appId);
    assertEquals("agent@app1/" + agent.pid(), appRan.get("InspectRelease").get(0));
    assertEquals(List.of("agent@app1/" + again.pid()), appRan.get("ArchiveToRepository"),
        "the restarted agent finished the archive: " + estate.log("agent-app1"));
    assertNotEquals(agent.pid(), again.pid());
    Map<String, String> release = storedFiles(appResult.manifest().objectKey());
    String rev = release.entrySet().stream().filter(e -> e.getKey().endsWith("current/REVISION"))
        .map(Map.Entry::getValue).findFirst().orElse(null);
    assertEquals(revision + "\n", rev, release.keySet().toString());

    // 3. dr1 over SSH, its host key pinned; a wrong key for its address is refused
    RealStack.Run ssh = estate.ssh("dr1", "hostname; cat " + MARKER);
    assertEquals(0, ssh.exit(), ssh.out());
    assertTrue(ssh.out().startsWith("dr1\ndr1 "), ssh.out());
    Path wrong = stack.dir.resolve("known_hosts_wrong");
    String db1Key = Files.readString(Estate.RUN.resolve("db1/ssh_host_ed25519_key.pub"));
    String[] k = db1Key.split(" ");
    Files.writeString(wrong, estate.address("dr1") + " " + k[0] + " " + k[1] + "\n");
    Process bad = new ProcessBuilder("ssh", "-F", "/dev/null", "-i",
        Estate.RUN.resolve("client_key").toString(), "-o", "IdentitiesOnly=yes", "-o",
        "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + wrong,
        "-o", "GlobalKnownHostsFile=/dev/null", "root@" + estate.address("dr1"), "true")
        .redirectErrorStream(true).start();
    String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
    assertEquals(255, bad.exitValue(), badOut);
    assertTrue(badOut.contains("HOST IDENTIFICATION HAS CHANGED")
        || badOut.contains("Host key verification failed"), badOut);
  }

  private static String awaitWaitingStep(WorkflowStub stub) throws InterruptedException {
    for (int i = 0; i < 240; i++) {
      String waiting = stub.describe().getTypedSearchAttributes()
          .get(LifeboatSearchAttributes.WAITING_STEP);
      if (waiting != null) return waiting;
      Thread.sleep(250);
    }
    return null;
  }

  /** Waits until the named activity has been picked up by a worker (it is running now). */
  private static void awaitStarted(WorkflowClient client, String workflowId, String type)
      throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      for (var a : WorkerJvm.pending(client, workflowId)) {
        if (a.getActivityType().getName().equals(type)
            && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
          return;
        }
      }
      String closed = WorkerJvm.closed(client, workflowId);
      if (closed != null) throw new AssertionError(type + " never seen running: " + closed);
      Thread.sleep(100);
    }
    throw new AssertionError(type + " never started");
  }

  /** The stored archive's regular files (small ones: their text; big ones: their size). */
  private Map<String, String> storedFiles(String objectKey) throws Exception {
    Map<String, String> files = new HashMap<>();
    try (InputStream in = stack.openStored(objectKey);
         TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (!e.isFile()) continue;
        files.put(e.getName(), e.getSize() < 4096
            ? new String(tar.readAllBytes(), StandardCharsets.UTF_8) : e.getSize() + " bytes");
      }
    }
    return files;
  }
}
