package io.lifeboat.host;

import io.lifeboat.backup.artifact.ArchiveActivities;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.backup.dump.DatabaseBackupActivities;
import io.lifeboat.backup.base.BaseBackupActivities;
import io.lifeboat.check.RepositoryCheckActivities;
import io.lifeboat.drill.DrillActivities;
import io.lifeboat.notify.NotificationActivities;
import io.lifeboat.offsite.OffsiteActivities;
import io.lifeboat.recover.db.DatabaseRecoveryActivities;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.recover.server.ServerRecoveryActivities;
import io.lifeboat.verify.DatabaseVerificationActivities;
import io.lifeboat.wal.WalCheckActivities;
import io.temporal.activity.ActivityInterface;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where every activity runs (design principle 7, issue 17): the one place that says, for each
 * activity interface (or, where an interface mixes both, for each method group), whether it
 * needs the files or processes of the host its source lives on (HOST_BOUND: an agent on that
 * host runs it, from the host's own task queue) or works over the network from any machine
 * (ANYWHERE: the control worker runs it from the main queue).
 *
 * <p>The control worker refuses to register an activity interface this class does not
 * classify ({@link #requireClassified}); the agent registers only the implementations with a
 * host-bound part ({@link #agentRegisters}). Workflows route by this table: stubs made by
 * {@link HostPlacement} send each HOST_BOUND method to the host's queue (rollback, database and
 * server recovery); the artifact backups pick their host-bound stub by hand
 * ({@code ArtifactBackup.onHost}). Drills are not routed yet: their host-bound steps still run
 * on the control worker, which is right on a one-machine estate only.
 */
public final class ActivityPlacement {
  public enum Where { HOST_BOUND, ANYWHERE }

  /** A group of methods of one interface with the same placement and the reason for it. */
  record Group(Where where, String why, Set<String> methods) {}

  private static final String ALL_METHODS = "*";

  private static final Map<Class<?>, List<Group>> REGISTRY = new LinkedHashMap<>();

  static {
    // pg_dump over TCP to the database server, streamed to the object store.
    whole(DatabaseBackupActivities.class, Where.ANYWHERE,
        "pg_dump and SQL over TCP; the repository over S3");
    // pg_basebackup over the replication protocol; manifests and retention in the repository.
    whole(BaseBackupActivities.class, Where.ANYWHERE,
        "pg_basebackup over the replication protocol; the repository over S3");
    // pg_switch_wal() and pg_stat_archiver over SQL; the WAL archive is in the repository.
    whole(WalCheckActivities.class, Where.ANYWHERE, "SQL over TCP; the WAL archive over S3");
    // pg_create_restore_point() and pg_switch_wal() over SQL; the manifest in the repository.
    whole(io.lifeboat.snapshot.RestorePointActivities.class, Where.ANYWHERE,
        "SQL over TCP; the WAL archive and the point's manifest over S3");
    // Restores into a scratch database on the live server, over TCP.
    whole(DatabaseVerificationActivities.class, Where.ANYWHERE,
        "pg_restore and SQL over TCP into a scratch database; manifests over S3");
    // Reads manifests only.
    whole(RepositoryCheckActivities.class, Where.ANYWHERE, "reads manifests over S3");
    // Webhooks and SMTP.
    whole(NotificationActivities.class, Where.ANYWHERE, "webhook and SMTP over the network");
    // Writes reports into the repository.
    whole(ReportActivities.class, Where.ANYWHERE, "writes reports over S3");
    // Bucket to bucket.
    whole(OffsiteActivities.class, Where.ANYWHERE, "copies between two object stores");
    // Asks Temporal who polls a host's queue.
    whole(AgentActivities.class, Where.ANYWHERE, "asks the Temporal frontend (DescribeTaskQueue)");
    // Recovery readiness: reads both repositories, resolves DNS, asks the ACME directory.
    whole(io.lifeboat.readiness.ReadinessActivities.class, Where.ANYWHERE,
        "reads the repositories over S3; DNS and the ACME directory over the network");
    // The release tree and /etc live on the host; the stored archive lives in the repository.
    group(ArchiveActivities.class, Where.HOST_BOUND,
        "reads the release tree or configuration files on the host's disk",
        "inspectRelease", "archiveToRepository");
    group(ArchiveActivities.class, Where.ANYWHERE,
        "reads and writes the repository over S3 only",
        "verifyStoredArchive", "commitArtifactManifest", "keepNewest", "discardArtifact");
    // A rollback rewrites the release tree and drives the host's PM2 daemon.
    whole(RollbackActivities.class, Where.HOST_BOUND,
        "pm2, npm and the release tree on the host; the health URL is usually the app's"
            + " loopback address");
    // PITR writes the data directory and runs pg_ctl as the cluster's OS user.
    group(DatabaseRecoveryActivities.class, Where.HOST_BOUND,
        "the data directory, the WAL spool and pg_ctl on the database's host (onHost)",
        "prepareScratch", "downloadBase", "replay", "swapDataDirectory", "discardScratch");
    // The application's PM2: on its own host (recovery.application.host, else onHost).
    group(DatabaseRecoveryActivities.class, Where.HOST_BOUND,
        "pm2 on the application's host (recovery.application.host, else the database's)",
        "stopApplication", "startApplication");
    group(DatabaseRecoveryActivities.class, Where.ANYWHERE,
        "the repository over S3, pg_restore and SQL over TCP, HTTP health checks",
        "plan", "assess", "verify", "restoreDump", "swapDatabase", "discardScratchDatabase",
        "healthCheck");
    // The new server's nginx, PM2 and certbot webroot are on that server.
    group(ServerRecoveryActivities.class, Where.HOST_BOUND,
        "pm2, nginx and certbot's webroot on the recovered server",
        "savePm2", "startNginx", "issueCertificate");
    group(ServerRecoveryActivities.class, Where.ANYWHERE,
        "the repository over S3, ansible over SSH, nsupdate and HTTPS over the network",
        "newestRelease", "runPlaybook", "updateDns", "checkHttps");
    // Scratch apps and target resets write files and drive PM2 where the drill runs them.
    group(DrillActivities.class, Where.HOST_BOUND,
        "scratch release trees, PM2 processes and target roots on the host's disk",
        "prepareScratchApp", "startScratchApp", "removeScratchApp", "resetServerTarget");
    group(DrillActivities.class, Where.ANYWHERE, "reads the stored report over S3",
        "checkReport");
    // redis-cli --rdb is a replication connection over TCP (issue 19).
    group(io.lifeboat.backup.redis.RedisBackupActivities.class, Where.ANYWHERE,
        "redis-cli over TCP (--rdb is a replication connection); the repository over S3;"
            + " the scratch redis-server is the worker's own",
        "redisAssess", "redisSnapshotToRepository", "redisVerifyStoredSnapshot",
        "redisVerifyStoredAof", "redisCommitManifest", "redisApplyRetention",
        "redisDiscardIncomplete");
    group(io.lifeboat.backup.redis.RedisBackupActivities.class, Where.HOST_BOUND,
        "copies the AOF directory out of the server's dataDir on its host",
        "redisAofToRepository");
    group(io.lifeboat.recover.redis.RedisRecoveryActivities.class, Where.HOST_BOUND,
        "writes the server's dataDir and starts redis-server on its host",
        "redisStageSnapshot", "redisSwapAndStart", "redisStageAof", "redisSwapAofAndStart");
    group(io.lifeboat.recover.redis.RedisRecoveryActivities.class, Where.ANYWHERE,
        "manifests over S3; CONFIG SET and DBSIZE over TCP",
        "redisChooseBackup", "redisEnableAof");
    // MariaDB (issue 19): the clients speak TCP; the scratch mariadbd is the worker's own.
    whole(io.lifeboat.backup.mariadb.MariaDbBackupActivities.class, Where.ANYWHERE,
        "mariadb-dump over TCP; the repository over S3; the scratch mariadbd is the worker's own");
    whole(io.lifeboat.backup.mariadb.MariaDbPhysicalActivities.class, Where.HOST_BOUND,
        "mariadb-backup reads the server's data directory on its host; the prepared copy runs"
            + " as a scratch mariadbd there");
    whole(io.lifeboat.recover.mariadb.MariaDbRecoveryActivities.class, Where.ANYWHERE,
        "the mariadb client over TCP (RENAME TABLE, the dump, CHECKSUM TABLE); S3 for the dump");
    whole(io.lifeboat.recover.mariadb.MariaDbPitrActivities.class, Where.ANYWHERE,
        "binlogs over the replication protocol (mariadb-binlog --read-from-remote-server), the"
            + " replay over the mariadb client; S3 for the archive");
    whole(io.lifeboat.recover.mariadb.MariaDbPhysicalRecoveryActivities.class, Where.HOST_BOUND,
        "prepares the copy beside the server's data directory, swaps the directories, stops and"
            + " starts mariadbd on its host");
    // File trees (issue 20): the engine reads the paths on the source's host; restic's other
    // steps are S3. borg's and rsync's repository is a path on that host: the workflow sends
    // their init, check and retention to the host's queue too (same activities, routed there).
    // An rsync mirror on a repository host (over ssh): seal, init, check and retention go to
    // that host's queue, where the mirror's files are.
    group(io.lifeboat.backup.files.FilesActivities.class, Where.HOST_BOUND,
        "restic/borg/rsync backup reads the file tree on the host's disk; a drill restores a"
            + " generation into a scratch directory there (borg's and rsync's repository is a"
            + " path on that host, or reached from it over ssh) and removes it", "filesBackup",
        "filesRestoreCompare", "filesRemoveScratch");
    group(io.lifeboat.backup.files.FilesActivities.class, Where.HOST_BOUND,
        "hashes and renames the generation an rsync push left on the mirror's own host (the"
            + " repository host's agent)", "filesSeal");
    group(io.lifeboat.backup.files.FilesActivities.class, Where.ANYWHERE,
        "restic init, check, forget and the manifest work on the repository over S3 (borg's and"
            + " rsync's init, check and retention go to the source's host, where their"
            + " repository path is; an rsync mirror's on a repository host go to that host's"
            + " agent); a drill reads the newest manifest over S3",
        "filesInit", "filesCheck", "filesForget", "filesCommitManifest", "filesNewestManifest");
    // Bacula (issue 20): bconsole runs where its config is (the job's host); the restore check
    // compares the scratch restore with the tree on that host's disk.
    whole(io.lifeboat.backup.bacula.BaculaActivities.class, Where.HOST_BOUND,
        "bconsole reads its config on the job's host; the restore check reads that host's disk");
    // OpenSearch (issue 19): the REST API from anywhere; the fs repository on the node's host.
    group(io.lifeboat.backup.opensearch.OpenSearchBackupActivities.class, Where.HOST_BOUND,
        "reads the fs snapshot repository and writes scratch repositories under the node's"
            + " path.repo", "opensearchShipFiles", "opensearchVerifyStored");
    group(io.lifeboat.backup.opensearch.OpenSearchBackupActivities.class, Where.ANYWHERE,
        "the snapshot REST API over HTTP; manifests and stored blobs over S3",
        "opensearchAssess", "opensearchSnapshot", "opensearchCommitManifest",
        "opensearchApplyRetention", "opensearchDiscardIncomplete");
    group(io.lifeboat.recover.opensearch.OpenSearchRecoveryActivities.class, Where.HOST_BOUND,
        "writes and removes the scratch repository under the node's path.repo",
        "opensearchStage", "opensearchDiscardStage");
    group(io.lifeboat.recover.opensearch.OpenSearchRecoveryActivities.class, Where.ANYWHERE,
        "manifests over S3; restore, clone and delete over the REST API",
        "opensearchChooseBackup", "opensearchRestoreStaged", "opensearchSwap");
  }

  private ActivityPlacement() {}

  private static void whole(Class<?> type, Where where, String why) {
    REGISTRY.computeIfAbsent(type, t -> new ArrayList<>())
        .add(new Group(where, why, Set.of(ALL_METHODS)));
  }

  private static void group(Class<?> type, Where where, String why, String... methods) {
    REGISTRY.computeIfAbsent(type, t -> new ArrayList<>())
        .add(new Group(where, why, Set.of(methods)));
  }

  /** Every classified interface. */
  public static Set<Class<?>> interfaces() {
    return REGISTRY.keySet();
  }

  /** Where this method of this activity interface runs; throws when it is not classified. */
  public static Where where(Class<?> type, String method) {
    for (Group g : REGISTRY.getOrDefault(type, List.of())) {
      if (g.methods().contains(ALL_METHODS) || g.methods().contains(method)) return g.where();
    }
    throw new IllegalStateException(type.getSimpleName() + "." + method + " is not classified"
        + " HOST_BOUND or ANYWHERE in " + ActivityPlacement.class.getName());
  }

  /** Why this method runs where it does. */
  public static String why(Class<?> type, String method) {
    for (Group g : REGISTRY.getOrDefault(type, List.of())) {
      if (g.methods().contains(ALL_METHODS) || g.methods().contains(method)) return g.why();
    }
    return null;
  }

  /** The activity methods of an interface, as Temporal registers them. */
  static List<String> methods(Class<?> type) {
    List<String> out = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !m.isDefault()) out.add(m.getName());
    }
    return out;
  }

  /** What is not classified of this interface: its name, or its unclassified methods. */
  public static List<String> unclassified(Class<?> type) {
    if (!REGISTRY.containsKey(type)) return List.of(type.getName());
    List<String> out = new ArrayList<>();
    for (String m : methods(type)) {
      boolean found = REGISTRY.get(type).stream().anyMatch(
          g -> g.methods().contains(ALL_METHODS) || g.methods().contains(m));
      if (!found) out.add(type.getSimpleName() + "." + m);
    }
    return out;
  }

  /** True when some method of the interface runs on the host. */
  public static boolean hasHostBound(Class<?> type) {
    return REGISTRY.getOrDefault(type, List.of()).stream()
        .anyMatch(g -> g.where() == Where.HOST_BOUND);
  }

  /** The {@link ActivityInterface}s an implementation object registers. */
  public static Set<Class<?>> activityInterfacesOf(Object implementation) {
    Set<Class<?>> out = new LinkedHashSet<>();
    for (Class<?> c = implementation.getClass(); c != null; c = c.getSuperclass()) {
      collect(c, out);
    }
    return out;
  }

  private static void collect(Class<?> c, Set<Class<?>> out) {
    for (Class<?> i : c.getInterfaces()) {
      if (i.isAnnotationPresent(ActivityInterface.class)) out.add(i);
      collect(i, out);
    }
  }

  /** Throws, naming what is missing, unless every activity of the implementation is classified. */
  public static void requireClassified(Object implementation) {
    List<String> missing = new ArrayList<>();
    for (Class<?> i : activityInterfacesOf(implementation)) missing.addAll(unclassified(i));
    if (!missing.isEmpty()) {
      throw new IllegalStateException("activities not classified HOST_BOUND or ANYWHERE in "
          + ActivityPlacement.class.getName() + ": " + String.join(", ", missing));
    }
  }

  /**
   * The placement table as Markdown, one row per group (docs/operator/real-estate.md holds it;
   * a test checks the two agree): interface, methods, who runs them, why.
   */
  public static String markdownTable() {
    StringBuilder md = new StringBuilder(
        "| Activities | Methods | Runs on | Why |\n|---|---|---|---|\n");
    for (Map.Entry<Class<?>, List<Group>> e : REGISTRY.entrySet()) {
      for (Group g : e.getValue()) {
        List<String> names = g.methods().contains(ALL_METHODS) ? List.of("all")
            : methods(e.getKey()).stream().filter(g.methods()::contains).sorted().toList();
        md.append("| `").append(e.getKey().getSimpleName()).append("` | ")
            .append(String.join(", ", names)).append(" | ")
            .append(g.where() == Where.HOST_BOUND ? "the host's agent" : "the control worker")
            .append(" | ").append(g.why()).append(" |\n");
      }
    }
    return md.toString();
  }

  /** True when the agent must register this implementation (some method is host-bound). */
  public static boolean agentRegisters(Object implementation) {
    return activityInterfacesOf(implementation).stream().anyMatch(ActivityPlacement::hasHostBound);
  }
}
