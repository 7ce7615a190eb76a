package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.MariaDbConfig;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The MariaDB servers of the config (issue 19), as the mariadb verbs find and start them. */
public final class MariaDbSources {
  private MariaDbSources() {}

  public static MariaDbConfig named(LifeboatConfig c, Path configPath, String name) {
    return c.mariadbServer(name).orElseThrow(() -> new UserError("unknown mariadb '" + name
        + "': " + configPath + (c.mariadb().isEmpty() ? " has no 'mariadb:' section"
            : " lists " + c.mariadb().stream().map(MariaDbConfig::name)
                .collect(Collectors.joining(", ")))));
  }

  /** {@code backup-mariadb-ESTATE-NAME} (docs/reference/workflow-ids.md); by hand + -manual. */
  public static String backupId(LifeboatConfig c, MariaDbConfig m) {
    return io.lifeboat.run.WorkflowIds.of("backup-mariadb", c.estate(), m.name());
  }

  /** {@code recover-mariadb-ESTATE-NAME}. */
  public static String recoveryId(LifeboatConfig c, MariaDbConfig m) {
    return io.lifeboat.run.WorkflowIds.of("recover-mariadb", c.estate(), m.name());
  }
}
