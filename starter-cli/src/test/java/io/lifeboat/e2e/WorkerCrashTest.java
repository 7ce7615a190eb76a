package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.workflows.backup.BackupResult;
import io.lifeboat.workflows.backup.DumpProgress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The worker process is killed with SIGKILL in the middle of the upload. A new worker takes
 * over; the backup completes once, and the killed attempt's multipart upload is gone.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class WorkerCrashTest {
  private RealStack stack;
  private final List<Process> workers = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    for (Process p : workers) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    stack.close();
  }

  private Process worker(Path config, String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.lifeboat.worker.WorkerMain", "--config", config.toString(), "--task-queue", stack.taskQueue)
        .redirectErrorStream(true)
        .redirectOutput(stack.dir.resolve(name + ".log").toFile());
    pb.environment().put("LIFEBOAT_LOG_LEVEL", "INFO");
    Process p = pb.start();
    workers.add(p);
    return p;
  }

  @Test
  void sigkillMidUploadEndsInOneGoodBackupAndNoOrphanedUpload() throws Exception {
    String db = stack.createDatabase("crash", 500_000);
    // Capped at 4 MB/s in 5 MB parts, the upload takes several seconds: time to kill it.
    Path config = stack.config("crash", root -> {
      RealStack.addDatabase(root, db);
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("repository"))
          .put("maxUploadMbPerSecond", 4).put("partSizeMb", 5);
      // The stack's own worker holds the configured metrics port.
      root.putObject("metrics").put("port", freePort());
    });
    Process first = worker(config, "worker-1");
    RealStack.Run start = stack.cli("backup", "db", db, "--config", config.toString());
    assertEquals(0, start.exit(), start.err());
    String workflowId = "backup-db-" + db + "-manual";
    WorkflowClient client = stack.temporal().client();

    DumpProgress seen = null;
    DumpProgress latest = null;
    for (int i = 0; i < 600 && (seen == null || seen.partsDone().isEmpty()); i++) {
      assertTrue(first.isAlive(), () -> "worker-1 exited early: " + log("worker-1"));
      seen = progress(client, workflowId).orElse(null);
      if (seen != null) latest = seen;
      if (seen == null || seen.partsDone().isEmpty()) Thread.sleep(100);
    }
    final DumpProgress last = latest;
    assertTrue(seen != null && !seen.partsDone().isEmpty(), () -> "upload under way before the kill;"
        + " last progress " + last + "; worker-1 log:\n" + log("worker-1"));
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no abort, parts left behind
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue(), "killed by SIGKILL");
    List<?> orphaned = stack.store().pendingUploads(stack.prefix + "/");
    assertTrue(orphaned.size() >= 1, "the killed attempt left its multipart upload behind");

    worker(config, "worker-2");
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    BackupResult result = stub.getResult(5, TimeUnit.MINUTES, BackupResult.class);

    // The dump activity really ran twice: the second attempt is the one that committed.
    int maxAttempt = 0;
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasActivityTaskStartedEventAttributes()) {
        maxAttempt = Math.max(maxAttempt, e.getActivityTaskStartedEventAttributes().getAttempt());
      }
    }
    assertTrue(maxAttempt >= 2, "a retry happened after the kill");

    List<String> manifests = stack.keys().stream().filter(k -> k.endsWith("manifest.json")).toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    assertEquals(0, stack.store().pendingUploads(stack.prefix + "/").size(), "no orphaned upload");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(stack.store().get(result.manifest().objectKey()), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertEquals(result.manifest().sha256(), HexFormat.of().formatHex(sha.digest()));
    String log2 = log("worker-2");
    assertTrue(log2.contains("aborting upload"), "the retry aborted the killed attempt's upload: " + log2);
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String log(String name) {
    try {
      return java.nio.file.Files.readString(stack.dir.resolve(name + ".log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Optional<DumpProgress> progress(WorkflowClient client, String workflowId) {
    var desc = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    for (PendingActivityInfo a : desc.getPendingActivitiesList()) {
      if (a.getActivityType().getName().equals("DumpToRepository") && a.hasHeartbeatDetails()) {
        return Optional.ofNullable(client.getOptions().getDataConverter().fromPayloads(0,
            Optional.of(a.getHeartbeatDetails()), DumpProgress.class, DumpProgress.class));
      }
    }
    return Optional.empty();
  }
}
