package io.lifeboat.backup.artifact;

import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.failure.FailureMessage;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.host.HostRouting;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * The steps an application and a configuration backup share, in workflow code: archive and
 * upload, verify the stored copy, commit the manifest, keep the newest N; on failure, remove
 * what the run stored so nothing half-written is ever listed.
 */
public final class ArtifactBackup {
  private static final Logger log = Workflow.getLogger(ArtifactBackup.class);
  public static final Duration HEARTBEAT = Duration.ofSeconds(20);

  private final StepRecorder steps;
  private final RepositoryConfig repository;
  private final ArchiveActivities quick;
  private final ArchiveActivities streaming;
  /** The host-bound calls (reading the host's disk): the host's agent queue, or as above. */
  private final ArchiveActivities hostQuick;
  private final ArchiveActivities hostStreaming;
  private final String host;
  private boolean agentSeen;

  private final RetryConfig retryConfig;

  public ArtifactBackup(StepRecorder steps, RepositoryConfig repository, RetryConfig retry) {
    this(steps, repository, retry, null);
  }

  /**
   * @param host the host the archived files are on (issue 17): the archive steps go to its
   *     agent's queue; null (one machine) keeps every step on the workflow's queue, as before
   */
  public ArtifactBackup(StepRecorder steps, RepositoryConfig repository, RetryConfig retry,
      String host) {
    this.retryConfig = retry;
    this.steps = steps;
    this.repository = repository;
    this.host = host;
    this.quick = activities(retry, Duration.ofMinutes(5), null, null);
    this.streaming = activities(retry, Duration.ofHours(2), HEARTBEAT, null);
    String queue = HostRouting.queueFor(host);
    this.hostQuick = queue == null ? quick : activities(retry, Duration.ofMinutes(5), null, queue);
    this.hostStreaming = queue == null ? streaming
        : activities(retry, Duration.ofHours(2), HEARTBEAT, queue);
  }

  /**
   * The stub for host-bound steps (inspectRelease, archiveToRepository): on a host, waits for
   * its agent first (LifeboatWaitingStep=agent:HOST while none polls).
   */
  public ArchiveActivities onHost() {
    awaitAgent();
    return hostQuick;
  }

  private void awaitAgent() {
    if (host != null && !agentSeen) {
      List<String> agents = HostRouting.awaitAgent(host, retryConfig);
      if (news != null) news.agents(agents);
      agentSeen = true;
    }
  }

  private io.lifeboat.offsite.OffsiteTarget offsite;
  private String offsiteKind;
  private String offsiteSource;
  private List<String> offsiteScopes;

  /** Issue #8: after the commit, start the offsite copy of these scopes (null: none). */
  public ArtifactBackup offsite(io.lifeboat.offsite.OffsiteTarget target, String kind,
      String source, List<String> scopes) {
    this.offsite = target;
    this.offsiteKind = kind;
    this.offsiteSource = source;
    this.offsiteScopes = scopes;
    return this;
  }

  private String metricsKind;
  private String metricsSource;
  private long metricsStartedAt;

  /**
   * The backup metrics ({@link io.lifeboat.run.BackupMetrics}, label {@code database} = the
   * application or the estate, {@code kind} = app or config) when the run ends.
   */
  public ArtifactBackup metrics(String kind, String source, long startedAtMillis) {
    this.metricsKind = kind;
    this.metricsSource = source;
    this.metricsStartedAt = startedAtMillis;
    return this;
  }

  /** Records a run that ended before {@link #run} (a failed inspection). */
  public void failedBeforeRun() {
    if (metricsKind != null) {
      io.lifeboat.run.BackupMetrics.failed(Workflow.getMetricsScope(), metricsSource, metricsKind,
          metricsStartedAt, Workflow.currentTimeMillis());
    }
  }

  private io.lifeboat.run.BackupNews news;

  /** Issue 22: "finished" at the commit mark, "failed" from the failure block. */
  public ArtifactBackup news(io.lifeboat.run.BackupNews news) {
    this.news = news;
    return this;
  }

  public ArchiveActivities quick() {
    return quick;
  }

  /**
   * @param dir the backup's directory (ends with a slash); the archive and manifest go in it
   * @param configurationArchive a configuration backup: a sha256 per file in the manifest, and
   *     symbolic links may point anywhere (they are /etc's, and such an archive is never
   *     extracted by a rollback)
   * @param retention what the retention step keeps (root, count and GFS keeps)
   * @param manifestFor builds the manifest from what was archived
   */
  public ArtifactBackupResult run(String dir, String archiveName, List<ArchiveSource> sources,
      List<String> excludes, boolean configurationArchive, KeepNewestRequest retention,
      java.util.function.BiFunction<ArchiveResult, String, ArtifactManifest> manifestFor) {
    String objectKey = dir + archiveName;
    try {
      awaitAgent();
      ArchiveResult archived = steps.run("archive-and-upload", () -> hostStreaming.archiveToRepository(
          new ArchiveRequest(repository, objectKey, sources, excludes, configurationArchive)));
      int entries = steps.run("verify", () -> streaming.verifyStoredArchive(new VerifyArchiveRequest(
          repository, objectKey, archived.sha256(), archived.storedBytes(), configurationArchive)));
      ArtifactManifest manifest = manifestFor.apply(archived,
          "read back: sha256 matches, " + entries + " entries, no entry name leaves the archive root");
      steps.run("commit-manifest", () -> quick.commitArtifactManifest(
          new CommitRequest(repository, dir + RepositoryLayout.MANIFEST, manifest)));
      if (news != null) news.finished(steps, manifest.storedBytes(), manifest.rawBytes(), null);
      List<String> expired = List.of();
      String warning = null;
      try {
        expired = steps.run("retention", () -> quick.keepNewest(
            retention));
      } catch (ActivityFailure e) {
        // The backup is committed and good; a failed clean-up must not hide that.
        warning = "retention failed: " + FailureMessage.of(e);
        log.warn("backup {} is good but {}", dir, warning);
      }
      if (offsite != null) {
        String id = dir.substring(0, dir.length() - 1);
        io.lifeboat.offsite.OffsiteAfterBackup.start(offsite.config(), repository,
            offsiteKind, offsiteSource, id.substring(id.lastIndexOf('/') + 1), offsiteScopes,
            retryConfig, offsite.notifications());
      }
      steps.finish("done");
      if (metricsKind != null) {
        io.lifeboat.run.BackupMetrics.succeeded(Workflow.getMetricsScope(), metricsSource,
            metricsKind, metricsStartedAt, Workflow.currentTimeMillis(), manifest.storedBytes(),
            manifest.rawBytes());
      }
      Workflow.upsertTypedSearchAttributes(
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      return new ArtifactBackupResult(manifest, expired, warning, steps.steps());
    } catch (ActivityFailure | CanceledFailure e) {
      io.lifeboat.run.FailedBackup.close(steps, e, dir, () -> quick.discardArtifact(
          new DiscardArtifactRequest(repository, dir)),
          news == null ? null : news.announce(steps, e), log);
      failedBeforeRun(); // metrics: not commands, absent from the history
      throw e;
    }
  }

  public static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  public static ArchiveActivities activities(RetryConfig retry, Duration startToClose, Duration heartbeat,
      String taskQueue) {
    return ActivityStubs.of(ArchiveActivities.class, retry, startToClose, heartbeat, taskQueue);
  }
}
