package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.repository.RepositoryLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * `lifeboat check` against manifests written into the real S3 (s3proxy) with ids in the past:
 * a missing day and a stale newest backup are named, with their age; filling them passes.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class CheckEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  /** A committed-looking backup of {@code db} taken at {@code at} (manifest only). */
  private void manifest(String db, Instant at) throws Exception {
    String id = RepositoryLayout.backupId(at.toEpochMilli());
    BackupManifest m = new BackupManifest(1, id, "db-full", db, "127.0.0.1:55432", "15",
        at.toString(), at.plusSeconds(60).toString(), 1000, 100, "00".repeat(32), "zstd",
        RepositoryLayout.dumpKey(stack.prefix, db, id), null, "STANDARD", "none", Map.of(), "",
        "backup-db-" + db);
    stack.store().put(RepositoryLayout.manifestKey(stack.prefix, db, id),
        new ObjectMapper().writeValueAsBytes(m), "application/json");
  }

  @Test
  void aMissingDayAndAStaleBackupFailTheCheckUntilFilled() throws Exception {
    String db = stack.tag + "_old";
    Path config = stack.config("check", root -> RealStack.addDatabase(root, db));
    // Nightly at 02:00 UTC for the last 10 days, except 4 days ago, and nothing in the last 2.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (int daysAgo = 10; daysAgo >= 2; daysAgo--) {
      if (daysAgo == 4) continue;
      manifest(db, today.minusDays(daysAgo).atTime(2, 0).toInstant(ZoneOffset.UTC));
    }
    Instant newest = today.minusDays(2).atTime(2, 0).toInstant(ZoneOffset.UTC);

    RealStack.Run run = stack.cli("check", "--kind", "db-full", "--config", config.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    // The age is printed to a tenth of an hour, rounded: 55.96 h reads "56.0h", so compare the
    // number, not its leading digits (the test failed in the last 3 minutes of an hour).
    double hours = Duration.between(newest, Instant.now()).toMillis() / 3_600_000.0;
    java.util.regex.Matcher age = java.util.regex.Pattern.compile(
        java.util.regex.Pattern.quote(db + " (db-full): newest backup "
            + RepositoryLayout.backupId(newest.toEpochMilli()) + " is ") + "([0-9.]+)h old")
        .matcher(run.out());
    assertTrue(age.find(), run.out());
    assertEquals(hours, Double.parseDouble(age.group(1)), 0.1, run.out());
    assertTrue(run.out().contains("(limit 25h)"), run.out());
    assertTrue(run.out().contains("day " + today.minusDays(4)), run.out());
    assertTrue(run.out().contains("day " + today.minusDays(1)), run.out());
    assertTrue(run.out().contains("checks FAILED"), run.out());

    RealStack.Run json = stack.cli("check", "--kind", "db-full", "--json", "--config", config.toString());
    assertEquals(1, json.exit());
    JsonNode source = new ObjectMapper().readTree(json.out()).get("sources").get(0);
    assertEquals(db, source.get("source").asText());
    assertFalse(source.get("fresh").asBoolean());
    assertFalse(source.get("retentionCompliant").asBoolean());
    assertEquals(8, source.get("backups").asInt());

    // Fill the gap and take a fresh one: all good.
    manifest(db, today.minusDays(4).atTime(2, 0).toInstant(ZoneOffset.UTC));
    manifest(db, today.minusDays(1).atTime(2, 0).toInstant(ZoneOffset.UTC));
    manifest(db, Instant.now().minus(Duration.ofMinutes(30)));
    RealStack.Run good = stack.cli("check", "--kind", "db-full", "--config", config.toString());
    assertEquals(0, good.exit(), good.out() + good.err());
    assertTrue(good.out().contains("all checks pass"), good.out());
  }

  /**
   * Every kind, not just dumps: a configuration backup 9 days old is stale (limit 192 h), and of
   * the example's two drill cadences the monthly one has a drill that succeeded 2 days ago (its
   * stored report) while the quarterly one has none: overdue.
   */
  @Test
  void everyKindAndTheDrillCadencesAreChecked() throws Exception {
    Path etc = stack.dir.resolve("etc");
    java.nio.file.Files.createDirectories(etc);
    java.nio.file.Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    Path config = stack.config("check-kinds", root -> root.putObject("configuration")
        .putArray("files").add(etc.resolve("hosts").toString()));
    String cfgRoot = RepositoryLayout.configBackupsRoot(stack.prefix);
    String old = RepositoryLayout.backupId(Instant.now().minus(Duration.ofDays(9)).toEpochMilli());
    stack.store().put(cfgRoot + old + "/" + RepositoryLayout.CONFIG_ARCHIVE, new byte[] {1},
        "application/gzip");
    stack.store().put(cfgRoot + old + "/" + RepositoryLayout.MANIFEST, "{}".getBytes(),
        "application/json");
    long finished = Instant.now().minus(Duration.ofDays(2)).toEpochMilli();
    io.lifeboat.run.RunReport drill = new io.lifeboat.run.RunReport("drill-monthly-x", "r",
        "drill", "farmtally monthly", "farmtally", finished - 60_000, finished, "succeeded", 0,
        java.util.List.of(), Map.of("drill", "monthly"), java.util.List.of());
    stack.store().put(RepositoryLayout.reportKey(stack.prefix, "drill", "drill-monthly-x",
        drill.startedAtMillis(), "json"), new ObjectMapper().writeValueAsBytes(drill),
        "application/json");

    RealStack.Run run = stack.cli("check", "--json", "--config", config.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    Map<String, JsonNode> byKindAndName = new java.util.HashMap<>();
    for (JsonNode n : new ObjectMapper().readTree(run.out()).get("sources")) {
      byKindAndName.put(n.get("kind").asText() + "/" + n.get("source").asText(), n);
    }
    assertTrue(byKindAndName.containsKey("db-base/" + stack.base.databases().get(0).name()),
        byKindAndName.keySet().toString());
    JsonNode cfg = byKindAndName.get("config/" + stack.base.estate());
    assertFalse(cfg.get("fresh").asBoolean(), cfg.toString());
    assertTrue(cfg.get("problems").get(0).asText().contains("(limit 192h)"), cfg.toString());
    assertTrue(byKindAndName.get("drill/monthly").get("fresh").asBoolean(),
        byKindAndName.get("drill/monthly").toString());
    JsonNode quarterly = byKindAndName.get("drill/quarterly");
    assertFalse(quarterly.get("fresh").asBoolean());
    assertTrue(quarterly.get("problems").get(0).asText()
        .contains("no quarterly drill has succeeded"), quarterly.toString());

    RealStack.Run drills = stack.cli("check", "--kind", "drill", "--config", config.toString());
    assertEquals(1, drills.exit(), drills.out() + drills.err());
    assertEquals(3, drills.out().strip().lines().filter(l -> !l.startsWith(" ")).count(),
        "two cadences and the verdict: " + drills.out());
  }

  /** The scheduled form: the workflow on a real worker remembers findings in the bucket. */
  @Test
  void checkWorkflowReportsAndNotifiesOnlyOnChange() throws Exception {
    stack.startWorker();
    String db = stack.tag + "_wf";
    Path config = stack.config("check-wf", root -> RealStack.addDatabase(root, db));
    var c = new io.lifeboat.config.ConfigLoader().load(config);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    manifest(db, today.minusDays(3).atTime(2, 0).toInstant(ZoneOffset.UTC));
    var request = new io.lifeboat.check.RepositoryCheckRequest(
        java.util.List.of(new io.lifeboat.check.CheckSource("db-full", db)),
        c.repository(), c.checks(), "UTC", c.retries(), null);

    var first = run(request, "check-" + stack.tag + "-1");
    assertFalse(first.passed());
    assertTrue(first.changedSinceLast(), "first finding is news");
    assertTrue(first.problems().get(0).contains(db + " (db-full): newest backup"),
        first.problems().toString());
    assertTrue(stack.keys().contains(RepositoryLayout.latestCheckKey(stack.prefix)),
        stack.keys().toString());

    var second = run(request, "check-" + stack.tag + "-2");
    assertFalse(second.passed());
    assertFalse(second.changedSinceLast(), "same findings an hour later are not news");
  }

  /**
   * Run reports keep their own audit retention: the scheduled check (a real worker) removes a
   * drill report older than reportsAuditDays and keeps a younger one and the check's memory,
   * though no backup of either exists any more.
   */
  @Test
  void theScheduledCheckAppliesTheReportsAuditRetention() throws Exception {
    stack.startWorker();
    String db = stack.tag + "_audit";
    Path config = stack.config("check-audit", root -> RealStack.addDatabase(root, db));
    var c = new io.lifeboat.config.ConfigLoader().load(config);
    long old = Instant.now().minus(Duration.ofDays(400)).toEpochMilli();
    long recent = Instant.now().minus(Duration.ofDays(300)).toEpochMilli();
    for (String ext : java.util.List.of("md", "json")) {
      stack.store().put(RepositoryLayout.reportKey(stack.prefix, "drill", "drill-old", old, ext),
          new byte[] {1}, "application/json");
      stack.store().put(RepositoryLayout.reportKey(stack.prefix, "drill", "drill-new", recent,
          ext), new byte[] {1}, "application/json");
    }
    var request = new io.lifeboat.check.RepositoryCheckRequest(
        java.util.List.of(new io.lifeboat.check.CheckSource("db-full", db)),
        c.repository(), c.checks(), "UTC", c.retries(), null, 365);
    run(request, "check-" + stack.tag + "-audit");
    java.util.List<String> reports = stack.keys().stream()
        .filter(k -> k.startsWith(RepositoryLayout.reportsRoot(stack.prefix))).sorted().toList();
    assertEquals(java.util.List.of(RepositoryLayout.latestCheckKey(stack.prefix),
        RepositoryLayout.reportKey(stack.prefix, "drill", "drill-new", recent, "json"),
        RepositoryLayout.reportKey(stack.prefix, "drill", "drill-new", recent, "md")), reports);
  }

  private io.lifeboat.check.CheckReport run(
      io.lifeboat.check.RepositoryCheckRequest request, String id) {
    return stack.temporal().client().newWorkflowStub(
        io.lifeboat.check.RepositoryCheckWorkflow.class,
        io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId(id)
            .setTaskQueue(stack.taskQueue).build()).check(request);
  }

  @Test
  void unknownDatabaseIsBadInput() throws Exception {
    Path config = stack.config("check-bad", root -> { });
    RealStack.Run run = stack.cli("check", "--database", "nope", "--config", config.toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("lifeboat: unknown database 'nope'"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }
}
