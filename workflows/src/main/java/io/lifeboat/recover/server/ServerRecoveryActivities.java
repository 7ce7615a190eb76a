package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What the server recovery does to the new server beyond the database and the release (those
 * reuse the recovery and rollback activities). Every method converges when run again: ansible
 * is idempotent, nginx is started or reloaded, certbot keeps a certificate that is still good.
 */
@ActivityInterface(namePrefix = "Server")
public interface ServerRecoveryActivities {

  /**
   * The id of the newest committed backup of the application (its manifest written), so a
   * re-run restores the same build whatever the target already holds; when the request names
   * a backup (a restore point's), that one, refused with BACKUP_NOT_FOUND unless committed.
   */
  @ActivityMethod
  String newestRelease(io.lifeboat.rollback.StageRequest request);

  /** ansible-playbook -i INVENTORY PLAYBOOK -e {lb_*}; returns the PLAY RECAP line. */
  @ActivityMethod
  String runPlaybook(PlaybookRequest request);

  /** pm2 save under the app's PM2_HOME, so a resurrected daemon starts the app again. */
  @ActivityMethod
  String savePm2(ApplicationConfig application);

  /** nginx -t, then start the target's nginx instance, or reload it when it runs. */
  @ActivityMethod
  String startNginx(ServerTargetConfig target);

  /** RFC 2136: nsupdate replaces the domain's A record with the target's address. */
  @ActivityMethod
  String updateDns(ServerTargetConfig target);

  /** certbot certonly --webroot against the configured ACME directory (--keep-until-expiring). */
  @ActivityMethod
  String issueCertificate(ServerTargetConfig target);

  /** HTTPS through nginx to the health path and the data path, trusting the CA's root only. */
  @ActivityMethod
  HttpsCheck checkHttps(HttpsCheckRequest request);
}
