package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Each bad input ends in one line, a non-zero exit, and nothing in the repository that could be
 * taken for a backup.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class BackupBadInputTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private static void assertOneLine(RealStack.Run run, String expected) {
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertTrue(err.startsWith("lifeboat: "), err);
    assertTrue(err.contains(expected), "'" + expected + "' in: " + err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
  }

  private void assertNothingCommitted(Path config) {
    assertTrue(stack.keys().stream().noneMatch(k -> k.endsWith("manifest.json")), stack.keys().toString());
    RealStack.Run list = stack.cli("backups", "list", "--config", config.toString());
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("no committed backups"), list.out());
  }

  @Test
  void nameNotInConfig() throws Exception {
    Path config = stack.config("unknown", root -> { });
    RealStack.Run run = stack.cli("backup", "db", "no_such_db", "--wait", "--config", config.toString());
    assertEquals(2, run.exit());
    assertOneLine(run, "unknown database 'no_such_db'");
  }

  @Test
  void databaseMissingOnServer() throws Exception {
    stack.startWorker();
    String missing = stack.tag + "_missing";
    Path config = stack.config("missing", root -> RealStack.addDatabase(root, missing));
    RealStack.Run run = stack.cli("backup", "db", missing, "--wait", "--config", config.toString());
    assertEquals(1, run.exit(), run.out());
    assertOneLine(run, "does not exist");
    assertNothingCommitted(config);
  }

  @Test
  void wrongS3Credentials() throws Exception {
    String db = stack.createDatabase("creds", 500);
    String secretEnv = stack.base.repository().secretKeyEnv();
    stack.startWorker(RealStack.envWith(secretEnv, "definitely-wrong"));
    Path config = stack.config("creds", root -> RealStack.addDatabase(root, db));
    RealStack.Run run = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(1, run.exit(), run.out());
    assertOneLine(run, "S3 refused the credentials");
    assertNothingCommitted(config);
  }

  @Test
  void postgresDown() throws Exception {
    stack.startWorker();
    String db = stack.tag + "_down";
    // Nothing listens on this port: PostgreSQL is "down" for this database.
    Path config = stack.config("down", root -> RealStack.addDatabase(root, db).put("port", 1));
    RealStack.Run run = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(1, run.exit(), run.out());
    assertOneLine(run, "is not answering");
    assertNothingCommitted(config);
  }

  @Test
  void malformedConfig() throws Exception {
    Path bad = stack.dir.resolve("bad.yml");
    java.nio.file.Files.writeString(bad, "estate: x\nrepository: [unclosed\n");
    RealStack.Run run = stack.cli("backup", "db", "x", "--config", bad.toString());
    assertEquals(2, run.exit());
    assertOneLine(run, "bad.yml");
  }

  @Test
  void overlappingManualStartIsRefused() throws Exception {
    String db = stack.createDatabase("overlap", 30_000);
    stack.startWorker();
    // Slow the upload down so the first backup is certainly still running.
    Path config = stack.config("overlap", root -> {
      RealStack.addDatabase(root, db);
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("repository"))
          .put("maxUploadMbPerSecond", 1).put("partSizeMb", 5);
    });
    RealStack.Run first = stack.cli("backup", "db", db, "--config", config.toString());
    assertEquals(0, first.exit(), first.err());
    RealStack.Run second = stack.cli("backup", "db", db, "--config", config.toString());
    assertEquals(2, second.exit(), second.out());
    assertOneLine(second, "already running");
    // The first one still completes.
    RealStack.Run waited = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(2, waited.exit(), "still refused while running");
    io.temporal.client.WorkflowStub stub = stack.temporal().client()
        .newUntypedWorkflowStub(
            DatabaseBackupWorkflow.workflowId(stack.base.estate(), db) + "-manual");
    stub.getResult(120, java.util.concurrent.TimeUnit.SECONDS,
        io.lifeboat.backup.dump.BackupResult.class);
  }
}
