package io.lifeboat.recover.server;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.ServerTargetConfig;

/**
 * One ansible-playbook run against the target. The activity turns the records into the
 * playbook's lb_* extra vars, so the playbook and the config cannot disagree.
 *
 * @param playbook the configuration or provisioning playbook
 * @param tags ansible --tags (e.g. "tls"), or null for the whole playbook
 * @param database the target's database entry (port, user)
 * @param application production's application entry (name, pm2Name)
 * @param items every database and application the target restores, in restore order (issue
 *     17): the playbook lays down each application's PM2 ecosystem file; null or empty in
 *     requests recorded before (the target's own application only)
 */
public record PlaybookRequest(
    ServerTargetConfig target, String playbook, String tags, DatabaseConfig database,
    ApplicationConfig application, java.util.List<RestoreItem> items) {
  public PlaybookRequest(ServerTargetConfig target, String playbook, String tags,
      DatabaseConfig database, ApplicationConfig application) {
    this(target, playbook, tags, database, application, null);
  }
}
