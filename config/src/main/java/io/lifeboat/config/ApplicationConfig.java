package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One Node.js application run by PM2 from a release root laid out as the seed's
 * /opt/farmtally: {@code current/} (what runs) and {@code previous/} (the release before it).
 *
 * @param releaseRoot directory holding current/ and previous/
 * @param pm2Name the PM2 process name (pm2 stop NAME)
 * @param ecosystemFile the PM2 ecosystem file that starts the process when PM2 does not know it
 * @param pm2Home PM2_HOME of the daemon that runs the app (null: PM2's default, ~/.pm2)
 * @param healthUrl must answer 2xx when the app is healthy (the seed's /api/health)
 * @param criticalEndpoints further URLs that must answer 2xx after a rollback
 * @param excludes path names left out of the archive (the seed's node_modules, .git, logs, tmp)
 * @param backupSchedule cron of the daily backup (the seed's 03:00)
 * @param keep how many backups are kept (the seed keeps 30 builds)
 * @param host the {@code hosts[].name} the release root is on; unset: the one machine
 */
public record ApplicationConfig(
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) String releaseRoot,
    String pm2Name,
    String ecosystemFile,
    String pm2Home,
    @JsonProperty(required = true) String healthUrl,
    List<String> criticalEndpoints,
    List<String> excludes,
    String backupSchedule,
    Integer keep,
    String host) {

  public static final List<String> DEFAULT_EXCLUDES = List.of("node_modules", ".git", "logs", "tmp");

  public ApplicationConfig {
    pm2Name = pm2Name != null ? pm2Name : name;
    criticalEndpoints = criticalEndpoints == null ? List.of() : List.copyOf(criticalEndpoints);
    excludes = excludes == null ? DEFAULT_EXCLUDES : List.copyOf(excludes);
    backupSchedule = backupSchedule != null ? backupSchedule : "0 3 * * *";
    keep = keep != null ? keep : 30;
  }

  /** An application of a one-machine estate (no {@code host:}). */
  public ApplicationConfig(String name, String releaseRoot, String pm2Name, String ecosystemFile,
      String pm2Home, String healthUrl, List<String> criticalEndpoints, List<String> excludes,
      String backupSchedule, Integer keep) {
    this(name, releaseRoot, pm2Name, ecosystemFile, pm2Home, healthUrl, criticalEndpoints,
        excludes, backupSchedule, keep, null);
  }

  @JsonIgnore
  public String currentDir() {
    return releaseRoot + "/current";
  }

  @JsonIgnore
  public String previousDir() {
    return releaseRoot + "/previous";
  }
}
