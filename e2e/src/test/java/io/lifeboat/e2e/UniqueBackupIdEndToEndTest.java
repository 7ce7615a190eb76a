package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.backup.dump.DatabaseBackupActivitiesImpl;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.config.Secrets;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.DatabaseBackupRequest;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Two dump backups of one database started back to back (a schedule firing while an operator
 * starts one) used to get the same second-resolution id, and the second overwrote the first's
 * dump and manifest. Against the real stack: both survive under their own ids and both restore;
 * a commit over an existing manifest is refused, and a discard leaves a committed backup alone.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class UniqueBackupIdEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  @Test
  void twoBackupsStartedTogetherBothSurviveAndRestore() throws Exception {
    String db = stack.createDatabase("twin", 3_000);
    Path configFile = stack.config("twin", root -> RealStack.addDatabase(root, db));
    LifeboatConfig c = new ConfigLoader().load(configFile);
    DatabaseBackupRequest request = new DatabaseBackupRequest(c.databases().get(0),
        c.repository(), c.compression(), c.retention().fullDays(), c.retries());
    WorkflowClient client = stack.temporal().client();

    // No sleep between the two: that is the point. Started at the top of a second so that both
    // workflows' start times fall in one second, where the old ids collided.
    while (System.currentTimeMillis() % 1000 > 200) Thread.sleep(5);
    DatabaseBackupWorkflow scheduled = stub(client, "backup-db-" + db + "-scheduled");
    DatabaseBackupWorkflow manual = stub(client, "backup-db-" + db + "-manual");
    CompletableFuture<BackupResult> first = WorkflowClient.execute(scheduled::backup, request);
    CompletableFuture<BackupResult> second = WorkflowClient.execute(manual::backup, request);
    BackupManifest a = first.get().manifest();
    BackupManifest b = second.get().manifest();

    assertNotEquals(a.backupId(), b.backupId());
    assertTrue(RepositoryLayout.isBackupId(a.backupId()) && a.backupId().length() > 16,
        "a unique id: " + a.backupId());
    String sameSecond = a.backupId().substring(0, 16).equals(b.backupId().substring(0, 16))
        ? "in the same second" : "in consecutive seconds (the machine was slow)";
    System.out.println("two backups " + sameSecond + ": " + a.backupId() + " " + b.backupId());

    // Two manifests, two dumps, each under its own id, each what its manifest says.
    List<String> manifests = stack.keys().stream()
        .filter(k -> k.contains("/full/") && k.endsWith("/" + RepositoryLayout.MANIFEST)).toList();
    assertEquals(2, manifests.size(), stack.keys().toString());
    String source = stack.plainDump(db);
    for (BackupManifest m : List.of(a, b)) {
      String key = RepositoryLayout.manifestKey(c.repository().prefix(), db, m.backupId());
      BackupManifest stored;
      try (InputStream in = stack.store().get(key)) {
        stored = new ObjectMapper().readValue(in, BackupManifest.class);
      }
      assertEquals(m.backupId(), stored.backupId());
      assertEquals(m.sha256(), stored.sha256());
      assertEquals(RepositoryLayout.dumpKey(c.repository().prefix(), db, m.backupId()),
          stored.objectKey());
      assertEquals(source, restore(m, m.backupId().replaceAll("[^A-Za-z0-9]", "").toLowerCase()));
    }

    // `backups list` shows both, the newest dump first (it sorts by the dump's start).
    RealStack.Run list = stack.cli("backups", "list", "--config", configFile.toString());
    assertEquals(0, list.exit(), list.err());
    List<String> rows = list.out().lines().filter(l -> l.contains(db)).toList();
    assertEquals(2, rows.size(), list.out());
    // (Two dumps can start in the same millisecond, as here in one run: the id breaks the tie.
    // The times compare as instants: a start on the whole second prints without a fraction.)
    java.util.Comparator<BackupManifest> byStart = java.util.Comparator
        .comparing((BackupManifest m) -> java.time.Instant.parse(m.startedAt()))
        .thenComparing(BackupManifest::backupId);
    String newer = byStart.compare(a, b) > 0 ? a.backupId() : b.backupId();
    assertTrue(rows.get(0).startsWith(newer + " "), "newest first: " + list.out());

    // Belt and braces, through the real activity on real S3: committing another manifest under
    // A's id is refused, one line, typed, and A's manifest is left byte for byte.
    DatabaseBackupActivitiesImpl activities =
        new DatabaseBackupActivitiesImpl(new StoreFactory(Secrets.fromEnvironment()), null);
    String keyA = RepositoryLayout.manifestKey(c.repository().prefix(), db, a.backupId());
    byte[] before = stack.store().get(keyA).readAllBytes();
    ObjectMapper json = new ObjectMapper();
    ObjectNode clash = json.valueToTree(b);
    clash.put("backupId", a.backupId());
    BackupManifest impostor = json.treeToValue(clash, BackupManifest.class);
    ApplicationFailure refused = assertThrows(ApplicationFailure.class,
        () -> activities.commitManifest(c.repository(), impostor));
    assertEquals(FailureKind.BACKUP_ID_TAKEN.type(), refused.getType());
    assertEquals("refusing to commit " + keyA + ": a different backup is already committed"
        + " there; it was not overwritten", refused.getOriginalMessage());
    assertArrayEquals(before, stack.store().get(keyA).readAllBytes());
    // The same manifest again (a retried commit) is not a conflict.
    activities.commitManifest(c.repository(), json.readValue(before, BackupManifest.class));
    assertArrayEquals(before, stack.store().get(keyA).readAllBytes());

    // A failed run's clean-up aimed at a committed id removes nothing.
    activities.discardIncomplete(new DiscardRequest(c.repository(), db, a.backupId()));
    assertTrue(stack.store().exists(keyA));
    assertTrue(stack.store().exists(a.objectKey()));
    assertEquals(source, restore(a, "after_discard"));

    // Retention reads the new ids' time (an id it cannot parse it would keep forever): 40 days
    // on, with 30 days kept, the older of the two goes and the newest stays, as always.
    String older = a.backupId().compareTo(b.backupId()) < 0 ? a.backupId() : b.backupId();
    String newest = older.equals(a.backupId()) ? b.backupId() : a.backupId();
    List<String> expired = activities.applyRetention(new io.lifeboat.backup.dump
        .RetentionRequest(c.repository(), db, 30,
            System.currentTimeMillis() + java.time.Duration.ofDays(40).toMillis()));
    assertEquals(List.of(older), expired);
    assertTrue(!stack.store().exists(
        RepositoryLayout.manifestKey(c.repository().prefix(), db, older)));
    assertTrue(stack.store().exists(
        RepositoryLayout.manifestKey(c.repository().prefix(), db, newest)));
  }

  private DatabaseBackupWorkflow stub(WorkflowClient client, String workflowId) {
    return client.newWorkflowStub(DatabaseBackupWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId + "-" + stack.tag).setTaskQueue(stack.taskQueue).build());
  }

  /** The stored dump, decrypted and decompressed, restored into a new database; its dump. */
  private String restore(BackupManifest m, String suffix) throws Exception {
    Path dump = stack.dir.resolve(suffix + ".pgc");
    try (InputStream obj = stack.store().get(m.objectKey());
         ZstdInputStream plain = new ZstdInputStream(
             stack.cipher().open(obj, m.objectKey(), m.objectKey()))) {
      Files.copy(plain, dump);
    }
    String scratch = stack.emptyDatabase("r" + suffix.substring(Math.max(0, suffix.length() - 20)));
    stack.run(RealStack.pg("pg_restore"), "--no-owner", "-h", stack.host(), "-p", stack.port(),
        "-U", stack.user(), "-d", scratch, dump.toString());
    return stack.plainDump(scratch);
  }
}
