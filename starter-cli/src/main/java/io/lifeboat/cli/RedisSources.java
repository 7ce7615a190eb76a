package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RedisConfig;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The Redis servers of the config (issue 19), as the redis verbs find and start them. */
public final class RedisSources {
  private RedisSources() {}

  public static RedisConfig named(LifeboatConfig c, Path configPath, String name) {
    return c.redisServer(name).orElseThrow(() -> new UserError("unknown redis '" + name + "': "
        + configPath + (c.redis().isEmpty() ? " has no 'redis:' section"
            : " lists " + c.redis().stream().map(RedisConfig::name)
                .collect(Collectors.joining(", ")))));
  }


  /** {@code backup-redis-ESTATE-NAME} (docs/reference/workflow-ids.md); by hand + -manual. */
  public static String backupId(LifeboatConfig c, RedisConfig r) {
    return io.lifeboat.run.WorkflowIds.of("backup-redis", c.estate(), r.name());
  }

  /** {@code recover-redis-ESTATE-NAME}. */
  public static String recoveryId(LifeboatConfig c, RedisConfig r) {
    return io.lifeboat.run.WorkflowIds.of("recover-redis", c.estate(), r.name());
  }
}
