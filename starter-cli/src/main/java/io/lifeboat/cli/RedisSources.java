package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The Redis servers of the config (issue 19), as the redis verbs find and start them. */
final class RedisSources {
  private RedisSources() {}

  static RedisConfig named(LifeboatConfig c, Path configPath, String name) {
    return c.redisServer(name).orElseThrow(() -> new UserError("unknown redis '" + name + "': "
        + configPath + (c.redis().isEmpty() ? " has no 'redis:' section"
            : " lists " + c.redis().stream().map(RedisConfig::name)
                .collect(Collectors.joining(", ")))));
  }

  static WorkflowOptions.Builder options(LifeboatConfig c, String kind) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(c.temporal().taskQueue())
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(LifeboatSearchAttributes.KIND, kind).build());
  }

  /** Workflow ids carry the name: only [A-Za-z0-9_-] of it. */
  static String idPart(String name) {
    return name.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
