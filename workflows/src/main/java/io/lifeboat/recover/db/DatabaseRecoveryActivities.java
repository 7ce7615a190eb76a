package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;
import io.temporal.activity.ActivityInterface;

/**
 * What a database recovery does to the world. Each method can be re-run after a worker died in
 * it: it detects what an earlier attempt finished and carries on, or starts its own part over
 * cleanly. Nothing here deletes the damaged data: it is renamed aside.
 */
@ActivityInterface(namePrefix = "Recovery")
public interface DatabaseRecoveryActivities {

  /**
   * Reads the repository and picks the backup for the target: a base backup plus WAL when the
   * repository has them, else the newest full dump (latest only). Refuses a target outside
   * what is stored. Touches nothing.
   */
  RecoveryPlan plan(PlanRequest request);

  /** Connects, SELECT 1, size, data directory. A server that does not answer is reported. */
  ClusterFacts assess(DatabaseConfig database);

  /** Where the new data directory, the WAL spool and the scratch server go. */
  ScratchCluster prepareScratch(PitrRequest request);

  /** Base backup archive → the new data directory, as the cluster's OS user. Heartbeats. */
  void downloadBase(PitrRequest request);

  /**
   * Writes the recovery settings, starts the new directory's server on the scratch port,
   * feeds it WAL ahead of its startup process and waits until it has promoted. Heartbeats
   * the replay position; a retry finds the server where the killed attempt left it.
   */
  ReplayResult replay(PitrRequest request);

  /** The validation queries from the config against the recovered copy. */
  VerifyReport verify(VerifyRequest request);

  /**
   * Stops the scratch server and the old one, renames the old directory aside, moves the new
   * one in and starts it on the real port. Idempotent: a swapped directory is recognised.
   */
  SwapResult swapDataDirectory(PitrRequest request);

  /** Compensation after a failed PITR: stops the scratch server, removes only what it built. */
  void discardScratch(PitrRequest request);

  /** pg_restore of the dump into a scratch database on the live server. Heartbeats. */
  void restoreDump(DumpRestoreRequest request);

  /** Renames the damaged database aside and the scratch one to the real name. */
  SwapResult swapDatabase(DumpRestoreRequest request);

  /** Compensation after a failed dump restore: drops the scratch database (never the real one). */
  void discardScratchDatabase(DumpRestoreRequest request);

  /** pm2 stop NAME when configured, else nothing. */
  String stopApplication(ApplicationRequest request);

  /** pm2 start NAME when configured, else nothing. */
  String startApplication(ApplicationRequest request);

  /** SELECT 1 on the recovered database, and the application's health URL when configured. */
  String healthCheck(ApplicationRequest request);
}
