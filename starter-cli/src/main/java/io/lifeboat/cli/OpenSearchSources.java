package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OpenSearchConfig;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The OpenSearch sources of the config (issue 19), as the opensearch verbs find them. */
public final class OpenSearchSources {
  private OpenSearchSources() {}

  public static OpenSearchConfig named(LifeboatConfig c, Path configPath, String name) {
    return c.openSearchSource(name).orElseThrow(() -> new UserError("unknown opensearch '" + name
        + "': " + configPath + (c.opensearch().isEmpty() ? " has no 'opensearch:' section"
            : " lists " + c.opensearch().stream().map(OpenSearchConfig::name)
                .collect(Collectors.joining(", ")))));
  }

  /** {@code backup-opensearch-ESTATE-NAME} (docs/reference/workflow-ids.md). */
  public static String backupId(LifeboatConfig c, OpenSearchConfig o) {
    return io.lifeboat.run.WorkflowIds.of("backup-opensearch", c.estate(), o.name());
  }

  /** {@code recover-opensearch-ESTATE-NAME}. */
  public static String recoveryId(LifeboatConfig c, OpenSearchConfig o) {
    return io.lifeboat.run.WorkflowIds.of("recover-opensearch", c.estate(), o.name());
  }
}
