package io.lifeboat.cli.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.files.FilesBackupRequest;
import io.lifeboat.backup.files.FilesBackupWorkflow;
import io.lifeboat.backup.mariadb.MariaDbBackupRequest;
import io.lifeboat.backup.mariadb.MariaDbBackupWorkflow;
import io.lifeboat.backup.opensearch.OpenSearchBackupWorkflow;
import io.lifeboat.backup.redis.RedisBackupWorkflow;
import io.lifeboat.cli.schedules.AppSchedules.Planned;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `schedules apply` schedules the backups of the sources that are not PostgreSQL (issue 19):
 * one per source, at its backupSchedule or nightly, under the backup's id base, starting the
 * very request `backup KIND NAME` starts.
 */
class SourceSchedulesTest {
  private static final Path EXAMPLE =
      Path.of("../examples/farmtally/lifeboat.yml").toAbsolutePath().normalize();

  private static LifeboatConfig config(Path dir) throws Exception {
    String yaml = Files.readString(EXAMPLE) + """

        mariadb:
          - name: billing
            databases: [billing]
            backupSchedule: "30 1 * * *"
            binlogArchive: true
          - name: shop
            databases: [shop]
            method: physical
        redis:
          - name: cache
            dataDir: /var/lib/redis
        opensearch:
          - name: search
            url: http://127.0.0.1:9200
            snapshotDir: /var/backups/search/lifeboat
            backupSchedule: "15 3 * * 0"
        files:
          - name: uploads
            paths: [/srv/uploads]
            passwordEnv: UPLOADS_RESTIC_PASSWORD
        """;
    Path file = dir.resolve("lifeboat.yml");
    Files.writeString(file, yaml);
    return new ConfigLoader().load(file);
  }

  @Test
  void oneSchedulePerSourceAtItsCronOrNightly(@TempDir Path dir) throws Exception {
    LifeboatConfig c = config(dir);
    Map<String, String> cronById = SourceSchedules.planned(c, null).stream()
        .collect(Collectors.toMap(Planned::id, Planned::cron));
    String e = c.estate();
    assertEquals(Map.of(
        "backup-mariadb-" + e + "-billing", "30 1 * * *",
        "backup-mariadb-" + e + "-shop", "0 2 * * *",
        "backup-redis-" + e + "-cache", "0 2 * * *",
        "backup-opensearch-" + e + "-search", "15 3 * * 0",
        "files-" + e + "-uploads", "0 2 * * *"), cronById);
    List<String> all = AppSchedules.planned(c, null).stream().map(Planned::id).toList();
    assertTrue(all.containsAll(cronById.keySet()), "applied and listed with the others: " + all);
  }

  @Test
  void eachStartsTheRequestARunByHandStarts(@TempDir Path dir) throws Exception {
    LifeboatConfig c = config(dir);
    Map<String, Planned> byId = SourceSchedules.planned(c, "q-test").stream()
        .collect(Collectors.toMap(Planned::id, p -> p));
    String e = c.estate();

    var billing = action(byId.get("backup-mariadb-" + e + "-billing"));
    assertEquals("MariaDbBackupWorkflow", billing.getWorkflowType());
    assertEquals(MariaDbBackupWorkflow.request(c, c.mariadb().get(0), false),
        billing.getArguments().get(0, MariaDbBackupRequest.class));
    assertEquals("q-test", billing.getOptions().getTaskQueue());
    assertEquals("backup-mariadb-" + e + "-billing", billing.getOptions().getWorkflowId());
    // method: physical makes the scheduled backup physical, as `backup mariadb shop` would
    assertEquals(Boolean.TRUE, action(byId.get("backup-mariadb-" + e + "-shop")).getArguments()
        .get(0, MariaDbBackupRequest.class).physical());

    assertEquals("RedisBackupWorkflow",
        action(byId.get("backup-redis-" + e + "-cache")).getWorkflowType());
    assertEquals(RedisBackupWorkflow.request(c, c.redis().get(0)),
        action(byId.get("backup-redis-" + e + "-cache")).getArguments().get(0,
            io.lifeboat.backup.redis.RedisBackupRequest.class));
    assertEquals(OpenSearchBackupWorkflow.request(c, c.opensearch().get(0)),
        action(byId.get("backup-opensearch-" + e + "-search")).getArguments().get(0,
            io.lifeboat.backup.opensearch.OpenSearchBackupRequest.class));
    FilesBackupRequest files = action(byId.get("files-" + e + "-uploads")).getArguments()
        .get(0, FilesBackupRequest.class);
    assertEquals(FilesBackupWorkflow.request(c, c.files().get(0), "schedule"), files);

    for (Planned p : byId.values()) {
      assertEquals(SchedulesCommand.MANAGED, p.schedule().getState().getNote(), p.id());
      assertFalse(p.ours().test(p.schedule()), "nothing older to retire: " + p.id());
    }
  }

  @Test
  void archivingIsOptInPerSource(@TempDir Path dir) throws Exception {
    LifeboatConfig c = config(dir);
    assertTrue(c.mariadb().get(0).binlogArchive());
    assertFalse(c.mariadb().get(1).binlogArchive(), "default: not started by schedules apply");
  }

  private static ScheduleActionStartWorkflow action(Planned p) {
    return (ScheduleActionStartWorkflow) p.schedule().getAction();
  }
}
