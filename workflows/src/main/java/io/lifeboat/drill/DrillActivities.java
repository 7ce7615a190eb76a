package io.lifeboat.drill;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.run.ReportActivities;
import io.temporal.activity.ActivityInterface;

/**
 * What a drill does beyond the restore pieces it borrows from verification and rollback: a
 * scratch copy of an application under PM2, and reading its own report back. Idempotent: the
 * scratch copy is keyed by its directory and PM2 name, removal of what is gone is fine.
 */
@ActivityInterface
public interface DrillActivities {

  /**
   * Creates the scratch release root (empty) and returns the application as the drill runs it:
   * the production entry with the scratch root, PM2 name, ecosystem file, and its health URLs
   * moved to the scratch port.
   */
  ApplicationConfig prepareScratchApp(ScratchAppRequest request);

  /** Writes the scratch ecosystem file (PORT, HOST, cwd current/) and starts it under PM2. */
  String startScratchApp(ScratchAppRequest request);

  /** pm2 delete of the scratch process (if PM2 knows it) and removal of the scratch root. */
  String removeScratchApp(ScratchAppRequest request);

  /**
   * The full-system scenario's clean-up: stops the server target's nginx, PM2 daemon and
   * PostgreSQL and removes its root (what `lifeboat target reset` does). Refuses a production
   * target. Idempotent: a target already bare is fine.
   */
  String resetServerTarget(ServerTargetConfig target);

  /** Reads the stored report back: every rendering exists and the JSON parses. */
  ReportCheck checkReport(CheckReportRequest request);

  /**
   * @param production the application as configured (its backups are the drill's source)
   * @param root the scratch release root
   */
  record ScratchAppRequest(ApplicationConfig production, String root, String pm2Name, int port) {}

  record CheckReportRequest(RepositoryConfig repository, ReportActivities.StoredReport stored) {}

  /** @param detail what was found, one line */
  record ReportCheck(boolean stored, String detail) {}
}
