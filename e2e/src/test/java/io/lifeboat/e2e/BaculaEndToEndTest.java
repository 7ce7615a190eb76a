package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.Secrets;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.MetricsServer;
import io.lifeboat.worker.TemporalConnection;
import io.lifeboat.worker.WorkerMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A job of a real Bacula Director (issue 20): Director, Storage and File daemon started for the
 * test on free ports with a sqlite catalog and a file device; {@code backup bacula tree --wait}
 * runs the job through bconsole and reports the JobId, bytes and files Bacula's catalog holds;
 * the restore into a scratch directory equals the tree; with the File daemon stopped the job
 * fails in Bacula and the run ends with one line; both outcomes are in the metrics and reports.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class BaculaEndToEndTest {
  private static final Pattern JOB_ID = Pattern.compile("JobId (\\d+), JobStatus T");
  private RealStack stack;
  private BaculaDaemons bacula;
  private WorkerMetrics metrics;
  private MetricsServer metricsServer;
  private TemporalConnection connection;
  private LifeboatWorker worker;
  private Path tree;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    metrics = new WorkerMetrics();
    metricsServer = MetricsServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics.registry());
    connection = TemporalConnection.open(stack.base.temporal(), metrics.scope());
    worker = new LifeboatWorker(connection.client(), stack.taskQueue,
        new Secrets(new HashMap<>(System.getenv()))).start();
    tree = stack.dir.resolve("tree");
    Files.createDirectories(tree.resolve("docs/empty"));
    Files.writeString(tree.resolve("docs/readme.txt"), "farm tallies\n");
    Files.writeString(tree.resolve("docs/ünïcode façade.txt"), "ß∂ƒ\n");
    byte[] blob = new byte[300_000];
    new java.util.Random(20).nextBytes(blob);
    Files.write(tree.resolve("blob.bin"), blob);
    Files.setPosixFilePermissions(tree.resolve("blob.bin"),
        PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(tree.resolve("link"), Path.of("docs/readme.txt"));
    bacula = BaculaDaemons.start(stack.dir.resolve("bacula"), tree);
  }

  @AfterEach
  void down() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {bacula, worker, connection, metricsServer,
        metrics}) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    stack.close();
  }

  private Path config() throws Exception {
    Path scratch = stack.dir.resolve("bacula-restore");
    Files.createDirectories(scratch);
    return stack.config("bacula", root -> {
      ObjectNode b = root.putArray("bacula").addObject();
      b.put("name", "tree").put("bconsoleConfig", bacula.bconsoleConfig.toString())
          .put("job", BaculaDaemons.JOB).put("client", BaculaDaemons.CLIENT)
          .put("restoreWhere", scratch.toString()).put("comparePath", tree.toString());
    });
  }

  @Test
  void runsTheDirectorsJobRecordsBaculasNumbersRestoresEquallyAndAFailedJobIsOneLine()
      throws Exception {
    Path config = config();
    RealStack.Run run = stack.cli("backup", "bacula", "tree", "--wait", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    Matcher m = JOB_ID.matcher(run.out());
    assertTrue(m.find(), run.out());
    long jobId = Long.parseLong(m.group(1));
    // The numbers are Bacula's own, as its catalog holds them.
    String bytes = bacula.field(jobId, "JobBytes");
    String files = bacula.field(jobId, "JobFiles");
    assertEquals("T", bacula.field(jobId, "JobStatus"));
    assertTrue(Long.parseLong(bytes) > 300_000, bytes);
    assertTrue(run.out().contains("  files       " + files + ", "), run.out());
    assertTrue(run.out().contains("(" + bytes + " bytes)"), run.out());
    assertTrue(run.out().contains("restore     ok: ") && run.out().contains(" match "
        + tree), run.out());
    assertEquals(1, bacula.console("llist job=tree").lines()
        .filter(l -> l.strip().startsWith("Comment: lifeboat-run=")).count(),
        "one job started, tagged with the run");

    Matcher r = Pattern.compile("lifeboat report (\\S+)").matcher(run.out());
    assertTrue(r.find(), run.out());
    RealStack.Run report = stack.cli("report", r.group(1), "--config", config.toString());
    assertEquals(0, report.exit(), report.out() + report.err());
    assertTrue(report.out().contains(Long.toString(jobId)) && report.out().contains(bytes)
        && report.out().contains("succeeded"), report.out());

    String ok = scrapeUntil(s -> "1.0".equals(value(s, "lifeboat_backup_success", null)));
    assertEquals("1.0", value(ok, "lifeboat_backup_success", null), ok);
    assertEquals(Double.parseDouble(bytes),
        Double.parseDouble(value(ok, "lifeboat_backup_size_bytes", null)), ok);

    // The File daemon stops: Bacula fails the job, the run ends with one line.
    bacula.stopFd();
    RealStack.Run failed = stack.cli("backup", "bacula", "tree", "--wait", "--config",
        config.toString());
    assertNotEquals(0, failed.exit(), failed.out());
    assertEquals(1, failed.err().strip().lines().count(), failed.err());
    assertTrue(failed.err().contains("JobStatus f") && failed.err().contains("Fatal error"),
        failed.err());
    String bad = scrapeUntil(s -> "0.0".equals(value(s, "lifeboat_backup_success", null))
        && "1.0".equals(value(s, "lifeboat_backup_runs_total", "failed")));
    assertEquals("0.0", value(bad, "lifeboat_backup_success", null), bad);
    assertEquals("1.0", value(bad, "lifeboat_backup_runs_total", "failed"), bad);
    assertEquals("1.0", value(bad, "lifeboat_backup_runs_total", "succeeded"), bad);
    // A run by hand keeps its workflow id: the newest report under it is the failed run's.
    String failedId = r.group(1);
    RealStack.Run failedReport = stack.cli("report", failedId, "--config", config.toString());
    assertTrue(failedReport.out().contains("failed") && failedReport.out().contains("JobStatus f"),
        failedReport.out());

    RealStack.Run unknown = stack.cli("backup", "bacula", "nope", "--config", config.toString());
    assertEquals(2, unknown.exit(), unknown.err());
    assertTrue(unknown.err().contains("unknown bacula job 'nope'"), unknown.err());
  }

  private String scrapeUntil(Predicate<String> ready) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = "";
    for (int i = 0; i < 300; i++) {
      body = http.send(HttpRequest.newBuilder(metricsServer.uri()).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (ready.test(body)) return body;
      Thread.sleep(200);
    }
    return body;
  }

  /** The first sample of {@code name} for source tree, kind bacula (and the outcome). */
  private static String value(String scrape, String name, String outcome) {
    Matcher matcher = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE)
        .matcher(scrape);
    while (matcher.find()) {
      String labels = matcher.group(1);
      if (labels.contains("database=\"tree\"") && labels.contains("kind=\"bacula\"")
          && (outcome == null || labels.contains("outcome=\"" + outcome + "\""))) {
        return matcher.group(2);
      }
    }
    return null;
  }
}
