package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Scenario 3 with real PM2 and npm: back up the running release, break it so /api/health
 * fails, roll back (to previous/, then to the stored backup), and health passes again.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class AppRollbackEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RealStack stack;
  private SampleApp app;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    // Its own application name: other suites on the shared stack back up "farmtally" too, and
    // backup-app-ESTATE-farmtally-manual is one lock for the whole namespace (once: "already
    // running"), and the suites share the example's estate.
    app = new SampleApp(stack, Map.of(), "farmtally-" + stack.tag);
    app.start();
    config = stack.config("app", root -> app.addTo(root));
    stack.startWorker(SampleApp.workerEnv());
  }

  @AfterEach
  void down() throws Exception {
    if (app != null) app.close();
    stack.close();
  }

  @Test
  void backupBreakRollBackAndHealthPassesAgain() throws Exception {
    app.postinstall("current", "require('fs').writeFileSync('installed-by-npm', 'yes')");
    RealStack.Run backup = stack.cli("backup", "app", app.name, "--wait", "--json",
        "--config", config.toString());
    assertEquals(0, backup.exit(), backup.err());
    JsonNode manifest = JSON.readTree(backup.out()).path("manifest");
    String backupId = manifest.path("backupId").asText();
    assertTrue(backupId.endsWith("-r2"), "the commit is in the name: " + backupId);
    assertEquals("r2", manifest.path("commit").asText());
    assertTrue(stack.keys().contains(manifest.path("objectKey").asText()), stack.keys().toString());
    assertTrue(stack.keys().stream().anyMatch(k -> k.endsWith(backupId + "/manifest.json")));
    Path local = Path.of(manifest.path("localCopy").asText());
    assertTrue(Files.isRegularFile(local) && Files.isRegularFile(local.resolveSibling("manifest.json")),
        "the local copy beside S3, as the seed keeps one: " + local);

    app.corrupt();
    assertEquals(500, app.status("/api/health"), "the broken release fails its health check");

    RealStack.Run rollback = stack.cli("rollback", "app", app.name, "--wait", "--config",
        config.toString());
    assertEquals(0, rollback.exit(), rollback.out() + rollback.err());
    assertEquals(200, app.status("/api/health"));
    assertEquals(200, app.status("/api/auth/verify"));
    assertTrue(app.body("/api/health").contains("\"revision\":\"r1\""), app.body("/api/health"));
    assertEquals("r1", app.revision());
    assertTrue(rollback.out().contains("rolled back to previous/"), rollback.out());
    assertTrue(rollback.out().contains("RTO: on-track"), rollback.out());
    try (Stream<Path> left = Files.list(app.root)) {
      List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("replaced-")),
          "the broken release is kept for a post-mortem: " + names);
      assertTrue(names.stream().noneMatch(n -> n.startsWith(".rollback-")), "no staging left: " + names);
    }
    // The report is in the repository, under the rollback kind.
    assertTrue(stack.keys().stream().anyMatch(k -> k.contains("/reports/application-rollback/")
        && k.endsWith(".json")), stack.keys().toString());
    RealStack.Run report = stack.cli("report",
        "rollback-app-" + stack.base.estate() + "-" + app.name, "--config",
        config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("verify-health") && report.out().contains("farmtally"),
        report.out());

    // And forward again, from the repository this time: download, check, extract, npm ci.
    RealStack.Run toBackup = stack.cli("rollback", "app", app.name, "--to", backupId, "--wait",
        "--json", "--config", config.toString());
    assertEquals(0, toBackup.exit(), toBackup.out() + toBackup.err());
    JsonNode result = JSON.readTree(toBackup.out());
    assertEquals(backupId, result.path("release").path("backupId").asText());
    assertTrue(app.body("/api/health").contains("\"revision\":\"r2\""), app.body("/api/health"));
    assertTrue(Files.exists(app.root.resolve("current/installed-by-npm")), "npm ci ran");
  }

  @Test
  void tamperedArchiveIsRefusedAndThePreviousGoodOneIsNamed() throws Exception {
    RealStack.Run first = stack.cli("backup", "app", "--wait", "--json", "--config", config.toString());
    assertEquals(0, first.exit(), first.err());
    String good = JSON.readTree(first.out()).path("manifest").path("backupId").asText();
    app.setRevision("current", "r3");
    RealStack.Run second = stack.cli("backup", "app", "--wait", "--json", "--config", config.toString());
    assertEquals(0, second.exit(), second.err());
    JsonNode m = JSON.readTree(second.out()).path("manifest");
    String tampered = m.path("backupId").asText();
    RealStack.Run list = stack.cli("backups", "list", "--app", app.name, "--config",
        config.toString());
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().indexOf(tampered) < list.out().indexOf(good) && list.out().contains(" r2 "),
        "newest first, with the commit: " + list.out());
    // Someone rewrites the stored archive: valid gzip, different bytes.
    byte[] other = stack.store().get(JSON.readTree(first.out()).path("manifest").path("objectKey")
        .asText()).readAllBytes();
    stack.store().put(m.path("objectKey").asText(), other, "application/gzip");

    RealStack.Run run = stack.cli("rollback", "app", "--to", tampered, "--wait", "--config",
        config.toString());
    assertEquals(1, run.exit(), run.out());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains("sha256") && err.contains("refused backup " + tampered), err);
    assertTrue(err.contains("the previous good backup is " + good), err);
    // Nothing was touched: the app still runs r3.
    assertEquals("r3", app.revision());
    assertEquals(200, app.status("/api/health"));
    try (Stream<Path> left = Files.list(app.root)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".rollback-")));
    }
  }

  @Test
  void withoutPreviousTheNewestStoredBuildOfAnotherCommitIsUsed() throws Exception {
    RealStack.Run r2 = stack.cli("backup", "app", "--wait", "--json", "--config", config.toString());
    assertEquals(0, r2.exit(), r2.err());
    String r2Id = JSON.readTree(r2.out()).path("manifest").path("backupId").asText();
    // Deploy r3 and back it up, as the daily schedule would after a deployment; then r3 breaks.
    app.setRevision("current", "r3");
    RealStack.Run r3 = stack.cli("backup", "app", "--after-deploy", "--wait", "--config",
        config.toString());
    assertEquals(0, r3.exit(), r3.err());
    try (Stream<Path> files = Files.walk(app.root.resolve("previous"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    app.corrupt();

    RealStack.Run run = stack.cli("rollback", "app", "--wait", "--json", "--config", config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode result = JSON.readTree(run.out());
    assertEquals(r2Id, result.path("release").path("backupId").asText(),
        "not the newest backup: that one is the broken r3 itself");
    assertEquals("r2", app.revision());
    assertTrue(app.body("/api/health").contains("\"revision\":\"r2\""), app.body("/api/health"));
  }

  @Test
  void onlyTheNewestBackupsAreKept() throws Exception {
    Path keepTwo = stack.config("keep", root -> {
      app.addTo(root);
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("applications").get(0)).put("keep", 2);
    });
    List<String> ids = new java.util.ArrayList<>();
    JsonNode last = null;
    for (String rev : List.of("r3", "r4", "r5")) {
      app.setRevision("current", rev);
      RealStack.Run run = stack.cli("backup", "app", "--wait", "--json", "--config", keepTwo.toString());
      assertEquals(0, run.exit(), run.err());
      last = JSON.readTree(run.out());
      ids.add(last.path("manifest").path("backupId").asText());
    }
    assertEquals(ids.get(0), last.path("expiredBackupIds").get(0).asText(), last.toString());
    List<String> manifests = stack.keys().stream().filter(k -> k.endsWith("manifest.json")).toList();
    assertEquals(2, manifests.size(), manifests.toString());
    assertTrue(manifests.stream().noneMatch(k -> k.contains(ids.get(0))), manifests.toString());
    assertTrue(stack.keys().stream().noneMatch(k -> k.contains(ids.get(0))), "all of it is gone");
  }

  @Test
  void whenPm2LostTheProcessItIsStartedFromTheEcosystemFileWithoutTheWorkersSecrets()
      throws Exception {
    app.pm2("kill"); // the daemon and the app are gone, as after a reboot without pm2 startup
    assertEquals(-1, app.status("/api/health"));
    RealStack.Run run = stack.cli("rollback", "app", "--wait", "--json", "--config", config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals("not known to pm2", JSON.readTree(run.out()).path("before").path("pm2Status").asText());
    JsonNode health = JSON.readTree(app.body("/api/health"));
    assertEquals("r1", health.path("revision").asText());
    // The worker's pm2 call started the daemon and the app: neither got the worker's secrets.
    String environ = Files.readString(Path.of("/proc/" + health.path("pid").asInt() + "/environ"));
    String secretEnv = stack.base.repository().secretKeyEnv();
    assertTrue(System.getenv(secretEnv) != null, "the worker had " + secretEnv);
    assertTrue(!environ.contains(secretEnv + "=") && !environ.contains("LIFEBOAT_PG_PASSWORD="),
        "no secret in the app's environment");
  }
}
