package io.lifeboat.cli.schedules;

import io.lifeboat.backup.files.FilesBackupWorkflow;
import io.lifeboat.backup.mariadb.MariaDbBackupWorkflow;
import io.lifeboat.backup.mariadb.MariaDbBinlogArchiveWorkflow;
import io.lifeboat.backup.opensearch.OpenSearchBackupWorkflow;
import io.lifeboat.backup.redis.RedisBackupWorkflow;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.MariaDbSources;
import io.lifeboat.cli.OpenSearchSources;
import io.lifeboat.cli.RedisSources;
import io.lifeboat.cli.backup.BackupMariaDbBinlogsCommand;
import io.lifeboat.cli.files.FilesPlans;
import io.lifeboat.cli.schedules.AppSchedules.Planned;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The backups of the sources that are not PostgreSQL (MariaDB, Redis, OpenSearch, files: issues
 * 19 and 20) on Temporal Schedules like the databases': one per source at its
 * {@code backupSchedule} (nightly by default), starting the very request `backup KIND NAME`
 * starts. The schedule's id is the backup's id base (a run by hand adds -manual), so a
 * scheduled run and one by hand never share an id. Continuous MariaDB binlog archiving is a
 * long-running workflow, not a schedule: `schedules apply` starts it for every source with
 * {@code binlogArchive: true} when it is not running.
 */
final class SourceSchedules {
  private SourceSchedules() {}

  static List<Planned> planned(LifeboatConfig c, String taskQueue) {
    List<Planned> out = new ArrayList<>();
    for (MariaDbConfig m : c.mariadb()) {
      out.add(planned(c, taskQueue, MariaDbSources.backupId(c, m), m.backupSchedule(),
          "mariadb " + m.name(), MariaDbBackupWorkflow.class,
          MariaDbBackupWorkflow.request(c, m, false), LifeboatSearchAttributes.KIND_MARIADB));
    }
    for (RedisConfig r : c.redis()) {
      out.add(planned(c, taskQueue, RedisSources.backupId(c, r), r.backupSchedule(),
          "redis " + r.name(), RedisBackupWorkflow.class, RedisBackupWorkflow.request(c, r),
          LifeboatSearchAttributes.KIND_REDIS));
    }
    for (OpenSearchConfig o : c.opensearch()) {
      out.add(planned(c, taskQueue, OpenSearchSources.backupId(c, o), o.backupSchedule(),
          "opensearch " + o.name(), OpenSearchBackupWorkflow.class,
          OpenSearchBackupWorkflow.request(c, o), LifeboatSearchAttributes.KIND_OPENSEARCH));
    }
    for (FilesConfig f : c.files()) {
      out.add(planned(c, taskQueue, FilesPlans.backupId(c, f), f.backupSchedule(),
          "files " + f.name(), FilesBackupWorkflow.class,
          FilesBackupWorkflow.request(c, f, "schedule"), LifeboatSearchAttributes.KIND_FILES));
    }
    return out;
  }

  /**
   * One source's schedule: start {@code type} with {@code request} under the backup's id base.
   * New with issue 19: no older id to retire.
   */
  private static Planned planned(LifeboatConfig c, String taskQueue, String id, String cron,
      String subject, Class<?> type, Object request, String kind) {
    return new Planned(id, cron, subject, List.of(), s -> false,
        AppSchedules.schedule(c, cron, ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(type)
            .setArguments(request)
            .setOptions(AppPlans.options(c, id, kind, taskQueue).build())
            .build()));
  }

  /** Starts the binlog archiver of every binlogArchive: true source that is not running. */
  static void startArchivers(WorkflowClient client, LifeboatConfig c, PrintWriter out) {
    for (MariaDbConfig m : c.mariadb()) {
      if (m.binlogArchive()) BackupMariaDbBinlogsCommand.start(client, c, m, out);
    }
  }

  /** `schedules list`'s archiver rows: running or not, like a schedule's active or missing. */
  static List<java.util.Map<String, Object>> archiverRows(WorkflowClient client,
      LifeboatConfig c) {
    List<java.util.Map<String, Object>> rows = new ArrayList<>();
    for (MariaDbConfig m : c.mariadb()) {
      if (!m.binlogArchive()) continue;
      String id = MariaDbBinlogArchiveWorkflow.workflowId(c.estate(), m.name());
      var row = new java.util.LinkedHashMap<String, Object>();
      row.put("id", id);
      row.put("subject", "mariadb " + m.name() + " binlogs");
      row.put("every", m.binlogArchiveSeconds() + "s");
      row.put("running", io.lifeboat.cli.WorkflowLaunch.stillRunning(client, id));
      rows.add(row);
    }
    return rows;
  }
}
