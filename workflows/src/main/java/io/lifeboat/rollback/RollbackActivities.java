package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;
import io.temporal.activity.ActivityInterface;

/**
 * What the rollback does to the machine. Every method may run again after a crash: staging is
 * keyed by the run, the swap detects that it already happened, stop and start ask PM2 first.
 */
@ActivityInterface
public interface RollbackActivities {

  /** pm2 status of the process, health URL, commit of current/. Changes nothing. */
  AppState identify(ApplicationConfig application);

  /**
   * Copies previous/ (or downloads, checks the sha256 of, and safely extracts a stored backup)
   * into the staging directory. Refuses a tampered or traversing archive before writing.
   */
  StagedRelease stageRelease(StageRequest request);

  /** npm ci --omit=dev in the staged release (nothing to do without a package.json). */
  void installDependencies(ReleaseStep step);

  /** pm2 stop NAME; a process that is already stopped or unknown is fine. */
  String stopApp(ApplicationConfig application);

  /** current/ becomes replaced-RUN/, the staged release becomes current/: two renames. */
  SwapResult swapRelease(ReleaseStep step);

  /** pm2 start NAME, or the ecosystem file when PM2 does not know the process. */
  String startApp(ApplicationConfig application);

  /** Polls the health URL and the critical endpoints until all answer 2xx, or gives up. */
  HealthResult verifyHealth(ApplicationConfig application);
}
