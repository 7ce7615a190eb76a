package io.lifeboat.cli.recover;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.RedisSources;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.SourceLaunch;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.recover.redis.RedisRecoveryRequest;
import io.lifeboat.recover.redis.RedisRecoveryResult;
import io.lifeboat.recover.redis.RedisRecoveryWorkflow;
import io.lifeboat.recover.redis.RedisRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "redis", description = {
    "Recover one Redis server from a stored RDB snapshot: staged and checked beside the live",
    "file, the server stopped, the snapshot swapped in (the old file kept), the server started",
    "with appendonly no, then AOF turned back on when the config says appendonly: true.",
    "--from-aof: the backup's AOF directory instead, started with appendonly yes."})
final class RecoverRedisCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "redis[].name from the config")
  String name;

  @Option(names = "--backup", paramLabel = "ID",
      description = "the backup to restore (default: the newest committed one)")
  String backupId;

  @Option(names = "--from-aof", description = {
      "place the backup's AOF directory (stored when the source runs with appendonly) and start",
      "with appendonly yes, instead of the RDB; the current AOF directory is kept"})
  boolean fromAof;

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    if (backupId != null && !backupId.matches("[0-9]{8}T[0-9]{6}Z[A-Za-z0-9.-]{0,40}")) {
      throw new UserError("--backup " + (backupId.length() > 60 ? backupId.substring(0, 60)
          + "..." : backupId) + " is not a backup id (e.g. 20261121T020000Z.123-4f9a2c1d)");
    }
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      RedisConfig r = RedisSources.named(c, s.configPath(), name);
      if (r.dataDir() == null) {
        throw new UserError("redis '" + r.name() + "' has no dataDir in " + s.configPath()
            + ": recovery needs the directory the server keeps its RDB in");
      }
      RedisRecoveryRequest request = new RedisRecoveryRequest(r, c.repository(), backupId,
          c.retries(), io.lifeboat.notify.NotificationTarget.of(c),
          SourceLaunch.timing(s, RedisRecoveryWorkflowImpl.KIND_REDIS_RECOVERY,
              RedisSources.recoveryId(c, r)), fromAof);
      return SourceLaunch.run(s, launchOptions, out, RedisSources.recoveryId(c, r),
          SourceLaunch.Run.RECOVERY, "redis " + r.name(), RedisRecoveryWorkflow.class,
          RedisRecoveryWorkflowImpl.KIND_REDIS_RECOVERY, wf -> WorkflowClient.start(wf::recover, request),
          RedisRecoveryResult.class, (res, link) -> {
                out.println("redis " + res.name() + " recovered from backup " + res.backupId()
                    + ": " + res.keys() + " keys (manifest: " + res.expectedKeys() + ")"
                    + (fromAof ? ", loaded from its AOF" : res.appendonly() ? ", AOF on again"
                        : ""));
                if (res.keptPath() != null) out.println("  the replaced "
                    + (fromAof ? "AOF directory" : "RDB") + " is kept at "
                    + res.keptPath());
                SourceLaunch.reportLine(out, res.report(), RedisSources.recoveryId(c, r));
                out.println("  " + link);
              });
    }
  }
}
