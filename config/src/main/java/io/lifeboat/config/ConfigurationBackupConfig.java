package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The weekly configuration backup (the seed's Sunday 04:00 run): nginx, the PM2 ecosystem
 * file, listed system files, and Jenkins configuration-as-code when it exists.
 *
 * @param files files or directories that must exist (stored under system/ by absolute path)
 * @param nginxDir nginx configuration directory (stored under nginx/), optional
 * @param ecosystemFile PM2 ecosystem file (stored under pm2/), optional
 * @param jenkinsCascFile Jenkins casc YAML, stored when present, skipped (and noted) when not
 * @param host the {@code hosts[].name} these files are on; unset: the one machine
 */
public record ConfigurationBackupConfig(
    List<String> files,
    String nginxDir,
    String ecosystemFile,
    String jenkinsCascFile,
    String schedule,
    Integer keep,
    String host) {
  public static final ConfigurationBackupConfig DEFAULT =
      new ConfigurationBackupConfig(null, null, null, null, null, null, null);

  public ConfigurationBackupConfig {
    files = files == null ? List.of() : List.copyOf(files);
    schedule = schedule != null ? schedule : "0 4 * * 0";
    keep = keep != null ? keep : 12;
  }

  /** The configuration of a one-machine estate (no {@code host:}). */
  public ConfigurationBackupConfig(List<String> files, String nginxDir, String ecosystemFile,
      String jenkinsCascFile, String schedule, Integer keep) {
    this(files, nginxDir, ecosystemFile, jenkinsCascFile, schedule, keep, null);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return files.isEmpty() && nginxDir == null && ecosystemFile == null && jenkinsCascFile == null;
  }
}
