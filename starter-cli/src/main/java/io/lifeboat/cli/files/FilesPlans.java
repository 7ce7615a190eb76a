package io.lifeboat.cli.files;

import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.LifeboatConfig;
import java.util.stream.Collectors;

/** The files sources of the config, for `backup files` and `restore files` (issue 20). */
public final class FilesPlans {
  private FilesPlans() {}

  public static FilesConfig source(Session s, String name) {
    LifeboatConfig c = s.config();
    return c.filesSource(name).orElseThrow(() -> new UserError("unknown files source '" + name
        + "': " + s.configPath() + (c.files().isEmpty() ? " has no 'files:' section"
            : " lists " + c.files().stream().map(FilesConfig::name)
                .collect(Collectors.joining(", ")))));
  }

  /** {@code files-ESTATE-NAME}: the schedule's id and the base of a run by hand's. */
  public static String backupId(LifeboatConfig c, FilesConfig f) {
    return io.lifeboat.run.WorkflowIds.of("files", c.estate(), f.name());
  }

  /**
   * The password (restic) or passphrase (borg) variable must be set where the engine runs; said
   * before anything starts. rsync has none.
   */
  public static void requirePassword(Session s, FilesConfig f) {
    if (f.passwordEnv() == null) return;
    String v = s.secrets().optional(f.passwordEnv());
    if (v == null || v.isEmpty()) {
      throw new UserError("environment variable " + f.passwordEnv() + " (" + f.passwordPurpose()
          + ") is not set");
    }
  }
}
