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

    RealStack.Run run = stack.cli("check", "--config", config.toString());
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

    RealStack.Run json = stack.cli("check", "--json", "--config", config.toString());
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
    RealStack.Run good = stack.cli("check", "--config", config.toString());
    assertEquals(0, good.exit(), good.out() + good.err());
    assertTrue(good.out().contains("all checks pass"), good.out());
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
