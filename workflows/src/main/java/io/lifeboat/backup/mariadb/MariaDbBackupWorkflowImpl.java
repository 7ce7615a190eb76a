package io.lifeboat.backup.mariadb;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.repository.BackupIds;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.BackupNews;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The shape of the PostgreSQL dump (backup/dump) for a mariadb-dump: nothing is a backup until
 * its manifest is written, and the manifest is written only after the stored object was read
 * back, decrypted and restored into a scratch mariadbd whose tables checksum like the source's.
 */
public class MariaDbBackupWorkflowImpl implements MariaDbBackupWorkflow {
  private static final Logger log = Workflow.getLogger(MariaDbBackupWorkflowImpl.class);
  public static final String KIND_MARIADB = "mariadb";
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final String PHYSICAL_CHANGE = "mariadb-physical";

  private final StepRecorder steps = new StepRecorder();

  @Override
  public MariaDbBackupResult backup(MariaDbBackupRequest request) {
    String name = request.mariadb().name();
    String backupId = BackupIds.forThisRun(Workflow.currentTimeMillis());
    String prefix = request.repository().prefix();
    // Physical backups (mariadb-backup) came later: recorded runs never asked for one.
    boolean physical = request.isPhysical() && Workflow.getVersion(PHYSICAL_CHANGE,
        Workflow.DEFAULT_VERSION, 1) == 1;
    String objectKey = physical ? MariaDbLayout.physicalKey(prefix, name, backupId)
        : MariaDbLayout.dumpKey(prefix, name, backupId);
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(name), KIND.valueSet(KIND_MARIADB),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    BackupNews news = BackupNews.start(request.notifications(), KIND_MARIADB, "MariaDB backup",
        name, null, backupId);
    MariaDbBackupActivities quick = ActivityStubs.of(MariaDbBackupActivities.class,
        request.retry(), Duration.ofMinutes(10), null);
    MariaDbBackupActivities streaming = ActivityStubs.of(MariaDbBackupActivities.class,
        request.retry(), Duration.ofHours(6), HEARTBEAT);
    io.lifeboat.recover.mariadb.MariaDbPitrActivities archiver = ActivityStubs.of(
        io.lifeboat.recover.mariadb.MariaDbPitrActivities.class, request.retry(),
        Duration.ofHours(6), HEARTBEAT);
    MariaDbPhysicalActivities onHost = ActivityStubs.of(MariaDbPhysicalActivities.class,
        request.retry(), Duration.ofHours(6), HEARTBEAT,
        physical ? io.lifeboat.host.HostRouting.queueFor(request.mariadb().host()) : null);
    try {
      MariaDbFacts before = steps.run("assess", () -> quick.mariadbAssess(request.mariadb()));
      MariaDbDumpRequest copy = new MariaDbDumpRequest(request.mariadb(), request.repository(),
          request.compression(), backupId, objectKey, before.databases(), before.logBin());
      MariaDbDumpResult dump = physical
          ? steps.run("backup-and-upload", () -> onHost.mariadbPhysicalToRepository(copy))
          : steps.run("dump-and-upload", () -> streaming.mariadbDumpToRepository(copy));
      MariaDbVerifyRequest check = new MariaDbVerifyRequest(request.repository(), objectKey,
          dump.sha256(), dump.storedBytes(), before.databases(), before.checksums(),
          dump.after().checksums());
      MariaDbVerifyResult verified = steps.run("verify", () -> physical
          ? onHost.mariadbVerifyStoredPhysical(check) : streaming.mariadbVerifyStoredDump(check));
      MariaDbManifest manifest = new MariaDbManifest(MariaDbManifest.FORMAT_VERSION, backupId,
          physical ? MariaDbManifest.KIND_PHYSICAL : MariaDbManifest.KIND, name,
          request.mariadb().address() + ":" + request.mariadb().port(),
          before.serverVersion(),
          Instant.ofEpochMilli(dump.startedAtMillis()).toString(),
          Instant.ofEpochMilli(dump.finishedAtMillis()).toString(),
          before.databases(), verified.tables(), dump.binlogFile(), dump.binlogPosition(),
          dump.gtidPosition(), dump.rawBytes(), dump.storedBytes(), dump.sha256(),
          dump.compression(), objectKey,
          Map.of(physical ? "mariadb-backup" : "mariadb-dump", dump.dumpVersion(),
              "lifeboat", "0.1.0"),
          "sha256 re-read from storage; " + (physical ? "prepared and started as"
              : "restored into") + " a scratch mariadbd ("
              + verified.scratchServer() + "): " + verified.tables().size() + " tables, "
              + verified.compared() + " with CHECKSUM TABLE equal to the source's"
              + (verified.changedDuringDump().isEmpty() ? ""
                  : ", " + verified.changedDuringDump().size() + " changed during the dump"),
          Workflow.getInfo().getWorkflowId(), null);
      steps.run("commit-manifest", () -> quick.mariadbCommitManifest(request.repository(),
          manifest));
      news.finished(steps, dump.storedBytes(), dump.rawBytes(), null);
      List<String> expired = List.of();
      String warning = null;
      try {
        expired = steps.run("retention", () -> quick.mariadbApplyRetention(
            new MariaDbRetentionRequest(request.repository(), name, request.retentionDays(),
                Workflow.currentTimeMillis(), request.retentionKeep(), request.retentionZone())));
      } catch (ActivityFailure e) {
        warning = "retention failed: " + FailureMessage.of(e);
        log.warn("mariadb backup {} of {} is good but {}", backupId, name, warning);
      }
      if (before.logBin()) {
        // The binlogs so far join the archive (point-in-time recovery's input); a failure here
        // leaves the committed backup good.
        try {
          steps.run("archive-binlogs", () -> archiver.mariadbArchiveBinlogs(request.mariadb(),
              request.repository()));
        } catch (ActivityFailure e) {
          String w = "binlog archive failed: " + FailureMessage.of(e);
          warning = warning == null ? w : warning + "; " + w;
          log.warn("mariadb backup {} of {} is good but {}", backupId, name, w);
        }
      }
      steps.finish("done");
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      return new MariaDbBackupResult(manifest, expired, warning, steps.steps());
    } catch (ActivityFailure | CanceledFailure e) {
      io.lifeboat.run.FailedBackup.close(steps, e, "mariadb backup " + backupId, () -> quick.mariadbDiscardIncomplete(
          new MariaDbDiscardRequest(request.repository(), name, backupId)), news.announce(steps, e),
          log);
      throw e;
    }
  }

  @Override
  public String step() {
    return steps.current();
  }
}
