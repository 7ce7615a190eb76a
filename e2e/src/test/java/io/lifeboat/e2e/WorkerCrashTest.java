package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.DumpProgress;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
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
  private WorkerJvm workers;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
  }

  @AfterEach
  void down() throws Exception {
    workers.close();
    stack.close();
  }

  private Process worker(Path config, String name) throws Exception {
    return workers.start(config, stack.taskQueue, name, java.util.Map.of());
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
    String workflowId = DatabaseBackupWorkflow.workflowId(stack.base.estate(), db) + "-manual";
    WorkflowClient client = stack.temporal().client();

    DumpProgress seen = null;
    DumpProgress latest = null;
    for (int i = 0; i < 600 && (seen == null || seen.partsDone().isEmpty()); i++) {
      assertTrue(first.isAlive(), () -> "worker-1 exited early: " + workers.log("worker-1"));
      seen = WorkerJvm.heartbeat(client, workflowId, "DumpToRepository", DumpProgress.class)
          .orElse(null);
      if (seen != null) latest = seen;
      if (seen == null || seen.partsDone().isEmpty()) Thread.sleep(100);
    }
    final DumpProgress last = latest;
    assertTrue(seen != null && !seen.partsDone().isEmpty(), () -> "upload under way before the kill;"
        + " last progress " + last + "; worker-1 log:\n" + workers.log("worker-1"));
    WorkerJvm.kill(first); // SIGKILL: no shutdown hook, no abort, parts left behind
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
    String log2 = workers.log("worker-2");
    assertTrue(log2.contains("aborting upload"), "the retry aborted the killed attempt's upload: " + log2);
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
