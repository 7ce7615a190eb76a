package io.lifeboat.cli.backup;

import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.RedisSources;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.SourceLaunch;
import io.lifeboat.backup.redis.RedisBackupRequest;
import io.lifeboat.backup.redis.RedisBackupResult;
import io.lifeboat.backup.redis.RedisBackupWorkflow;
import io.lifeboat.backup.redis.RedisBackupWorkflowImpl;
import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RedisConfig;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "redis", description = {
    "Back up one Redis server now: an RDB snapshot (redis-cli --rdb), compressed and encrypted",
    "into the repository, read back, checked by redis-check-rdb and loaded into a scratch",
    "redis-server before its manifest is written."})
final class BackupRedisCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "redis[].name from the config")
  String name;

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      RedisConfig r = RedisSources.named(c, s.configPath(), name);
      RedisBackupRequest request = RedisBackupWorkflow.request(c, r);
      return SourceLaunch.run(s, launchOptions, out, io.lifeboat.run.WorkflowIds.manual(RedisSources.backupId(c, r)),
          SourceLaunch.Run.BACKUP, "redis " + r.name(), RedisBackupWorkflow.class,
          RedisBackupWorkflowImpl.KIND_REDIS, wf -> WorkflowClient.start(wf::backup, request),
          RedisBackupResult.class, (res, link) -> print(out, c, res, link));
    }
  }

  private static void print(PrintWriter out, LifeboatConfig c, RedisBackupResult r,
      String link) {
    RedisManifest m = r.manifest();
    out.println("backup " + m.backupId() + " of redis " + m.name() + " is committed");
    out.println("  keys        " + m.keys() + " (" + Bytes.human(m.usedMemory()) + " used memory)");
    out.println("  size        " + Bytes.human(m.rawBytes()) + " RDB, "
        + Bytes.human(m.storedBytes()) + " stored (" + m.compression() + ")");
    out.println("  location    s3://" + c.repository().bucket() + "/" + m.objectKey());
    out.println("  sha256      " + m.sha256());
    out.println("  verified    " + m.verification());
    if (!r.expiredBackupIds().isEmpty()) {
      out.println("  expired     " + String.join(", ", r.expiredBackupIds()));
    }
    if (r.retentionWarning() != null) out.println("  warning     " + r.retentionWarning());
    out.println("  " + link);
  }
}
