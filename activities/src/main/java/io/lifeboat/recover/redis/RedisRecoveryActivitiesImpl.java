package io.lifeboat.recover.redis;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.backup.redis.RedisAofFiles;
import io.lifeboat.backup.redis.RedisBackupActivitiesImpl;
import io.lifeboat.backup.redis.RedisCli;
import io.lifeboat.backup.redis.RedisLayout;
import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis recovery. The stored snapshot is staged beside the live RDB and checked before the
 * server is touched; the swap keeps the old RDB and AOF directory under names with the run in
 * them; the server starts with appendonly no (with appendonly yes Redis would load the AOF,
 * empty or old, and ignore the RDB), and AOF is turned back on over CONFIG SET afterwards.
 */
public class RedisRecoveryActivitiesImpl implements RedisRecoveryActivities {
  private static final Logger log = LoggerFactory.getLogger(RedisRecoveryActivitiesImpl.class);
  static final String LIVE = "dump.rdb";
  static final String AOF_DIR = "appendonlydir";

  private final StoreFactory stores;
  private final Secrets secrets;
  private final RedisCli cli;

  public RedisRecoveryActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.secrets = secrets;
    this.cli = new RedisCli(secrets);
  }

  @Override
  public RedisManifest redisChooseBackup(RepositoryConfig repo, String name, String backupId) {
    return quick(() -> {
      ObjectStore store = stores.forRepository(repo);
      if (backupId == null) {
        return RedisBackupActivitiesImpl.newest(store, repo.prefix(), name).orElseThrow(() ->
            FailureKind.BACKUP_NOT_FOUND.failure("no committed redis backup of " + name));
      }
      String key = RedisLayout.manifestKey(repo.prefix(), name, backupId);
      if (!store.exists(key)) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("no committed redis backup " + backupId
            + " of " + name);
      }
      return io.lifeboat.backup.dump.Manifests.read(store, key, RedisManifest.class);
    });
  }

  private static Path dataDir(RedisConfig r) {
    if (r.dataDir() == null) {
      throw FailureKind.CONFIG_INVALID.failure("redis " + r.name() + " has no dataDir in the"
          + " config: recovery needs the directory the server keeps its RDB in");
    }
    return Path.of(r.dataDir());
  }

  static Path staged(Path dir, String runKey) {
    return dir.resolve(LIVE + ".lifeboat-" + runKey);
  }

  static Path kept(Path dir, String name, String runKey) {
    return dir.resolve(name + ".before-" + runKey);
  }

  @Override
  public StagedSnapshot redisStageSnapshot(StageRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      RedisManifest m = req.manifest();
      Path dir = dataDir(req.redis());
      Path target = staged(dir, req.runKey());
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      try {
        Files.createDirectories(dir);
        var d = RedisBackupActivitiesImpl.download(stores.forRepository(req.repository()),
            stores.cipher(req.repository()), m.objectKey(), partial, () -> ctx.heartbeat(null));
        if (!d.sha256().equals(m.sha256()) || d.storedBytes() != m.storedBytes()) {
          Files.deleteIfExists(partial);
          throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + m.objectKey()
              + " does not match its manifest: sha256 " + d.sha256() + ", expected "
              + m.sha256() + "; nothing of the server was touched");
        }
        RedisBackupActivitiesImpl.checkRdb(partial, m.objectKey());
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        return new StagedSnapshot(target.toString(), d.rawBytes(), d.sha256());
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot stage the snapshot in " + dir + ": " + e);
      } catch (RuntimeException e) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // best effort
        }
        throw e;
      }
    });
  }

  @Override
  public SwapResult redisSwapAndStart(StageRequest req, StagedSnapshot staged) {
    return typed(() -> {
      RedisConfig r = req.redis();
      Path dir = dataDir(r);
      Path live = dir.resolve(LIVE);
      Path keptRdb = kept(dir, LIVE, req.runKey());
      Path keptAof = kept(dir, AOF_DIR, req.runKey());
      Path stagedFile = Path.of(staged.path());
      try {
        stop(r);
        // Re-runnable: a swap already done has no staged file left and the live one in place.
        if (Files.exists(stagedFile)) {
          if (Files.exists(live) && !Files.exists(keptRdb)) {
            Files.move(live, keptRdb, StandardCopyOption.ATOMIC_MOVE);
          }
          Path aof = dir.resolve(AOF_DIR);
          if (Files.exists(aof) && !Files.exists(keptAof)) {
            Files.move(aof, keptAof, StandardCopyOption.ATOMIC_MOVE);
          }
          Files.move(stagedFile, live, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
        start(r, dir);
        long keys = Long.parseLong(cli.call(r, 30, "DBSIZE").strip());
        log.info("redis {} restarted on backup {}: {} keys", r.name(),
            req.manifest().backupId(), keys);
        return new SwapResult(live.toString(), Files.exists(keptRdb) ? keptRdb.toString() : null,
            Files.exists(keptAof) ? keptAof.toString() : null, keys);
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot swap the snapshot into " + dir + ": " + e);
      }
    });
  }

  @Override
  public StagedSnapshot redisStageAof(StageRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      var aof = req.manifest().aof();
      Path dir = dataDir(req.redis());
      Path target = dir.resolve(aof.dirName() + ".lifeboat-" + req.runKey());
      Path work = dir.resolve(aof.dirName() + ".lifeboat-" + req.runKey() + ".partial");
      try {
        if (Files.isDirectory(target)) {
          return new StagedSnapshot(target.toString(), aof.rawBytes(), aof.sha256());
        }
        RedisAofFiles.deleteTree(work);
        Files.createDirectories(work);
        Path tar = work.resolve("aof.tar");
        var d = RedisBackupActivitiesImpl.download(stores.forRepository(req.repository()),
            stores.cipher(req.repository()), aof.objectKey(), tar, () -> ctx.heartbeat(null));
        if (!d.sha256().equals(aof.sha256()) || d.storedBytes() != aof.storedBytes()) {
          throw FailureKind.BACKUP_CORRUPT.failure("stored AOF " + aof.objectKey()
              + " does not match its manifest: sha256 " + d.sha256() + ", expected "
              + aof.sha256() + "; nothing of the server was touched");
        }
        RedisAofFiles.untarAndCheck(tar, work, aof.dirName(), aof.objectKey());
        Files.move(work.resolve(aof.dirName()), target, StandardCopyOption.ATOMIC_MOVE);
        RedisAofFiles.deleteTree(work);
        return new StagedSnapshot(target.toString(), d.rawBytes(), d.sha256());
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot stage the AOF in " + dir + ": " + e);
      } catch (RuntimeException e) {
        RedisAofFiles.deleteTree(work);
        throw e;
      }
    });
  }

  @Override
  public SwapResult redisSwapAofAndStart(StageRequest req, StagedSnapshot staged) {
    return typed(() -> {
      RedisConfig r = req.redis();
      String dirName = req.manifest().aof().dirName();
      Path dir = dataDir(r);
      Path live = dir.resolve(dirName);
      Path rdb = dir.resolve(LIVE);
      Path keptRdb = kept(dir, LIVE, req.runKey());
      Path keptAof = kept(dir, dirName, req.runKey());
      Path stagedDir = Path.of(staged.path());
      try {
        stop(r);
        if (Files.exists(stagedDir)) {
          if (Files.exists(live) && !Files.exists(keptAof)) {
            Files.move(live, keptAof, StandardCopyOption.ATOMIC_MOVE);
          }
          RedisAofFiles.deleteTree(live);
          if (Files.exists(rdb) && !Files.exists(keptRdb)) {
            Files.move(rdb, keptRdb, StandardCopyOption.ATOMIC_MOVE);
          }
          Files.move(stagedDir, live, StandardCopyOption.ATOMIC_MOVE);
        }
        String appendfilename = RedisAofFiles.appendfilename(live);
        start(r, dir, List.of("--appendonly", "yes", "--appenddirname", dirName,
            "--appendfilename", appendfilename));
        long keys = Long.parseLong(cli.call(r, 30, "DBSIZE").strip());
        log.info("redis {} restarted on the AOF of backup {}: {} keys", r.name(),
            req.manifest().backupId(), keys);
        String keptDir = Files.exists(keptAof) ? keptAof.toString() : null;
        return new SwapResult(live.toString(), keptDir, keptDir, keys);
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot swap the AOF into " + dir + ": " + e);
      }
    });
  }

  /** SHUTDOWN NOSAVE when it answers (a save would overwrite the file we are replacing). */
  private void stop(RedisConfig r) {
    RedisCli.Result ping = RedisCli.run(cli.command(r, "PING"), 10);
    if (!ping.out().strip().equals("PONG")) {
      if (ping.both().contains("WRONGPASS") || ping.both().contains("NOAUTH")) {
        throw RedisCli.classify(r, "PING", ping.both());
      }
      return; // already down
    }
    RedisCli.run(cli.command(r, "SHUTDOWN", "NOSAVE"), 30);
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!RedisCli.run(cli.command(r, "PING"), 5).out().strip().equals("PONG")) return;
      sleep(100);
      Activity.getExecutionContext().heartbeat(null);
    }
    throw FailureKind.REDIS_TOOL_FAILED.failure("redis " + r.name()
        + " still answers 30 s after SHUTDOWN NOSAVE");
  }

  /** redis-server, daemonized, appendonly no; the password reaches it on stdin, not argv. */
  private void start(RedisConfig r, Path dir) throws IOException {
    start(r, dir, List.of("--appendonly", "no"));
  }

  private void start(RedisConfig r, Path dir, List<String> persistence) throws IOException {
    List<String> argv = new ArrayList<>(List.of("redis-server"));
    if (r.configFile() != null) argv.add(r.configFile());
    argv.addAll(List.of("--port", String.valueOf(r.port()), "--bind", r.address(),
        "--dir", dir.toString(), "--dbfilename", LIVE));
    argv.addAll(persistence);
    argv.addAll(List.of("--daemonize", "yes", "--pidfile", dir.resolve("redis.pid").toString(),
        "--logfile", dir.resolve("redis.log").toString()));
    argv.add("-");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream stdin = p.getOutputStream()) {
      if (r.passwordEnv() != null) {
        String pw = secrets.require(r.passwordEnv(), "the password of redis " + r.name());
        stdin.write(("requirepass \"" + pw.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    long deadline = System.currentTimeMillis() + 600_000;
    while (System.currentTimeMillis() < deadline) {
      RedisCli.Result ping = RedisCli.run(cli.command(r, "PING"), 10);
      if (ping.out().strip().equals("PONG")) return;
      if (!p.isAlive() && p.exitValue() != 0) {
        throw FailureKind.REDIS_TOOL_FAILED.failure("redis-server did not start (exit "
            + p.exitValue() + "); see " + dir.resolve("redis.log"));
      }
      Activity.getExecutionContext().heartbeat(null);
      sleep(100);
    }
    throw FailureKind.REDIS_TOOL_FAILED.failure("redis " + r.name() + " did not answer in 10"
        + " minutes after its start; see " + dir.resolve("redis.log"));
  }

  @Override
  public long redisEnableAof(RedisConfig r) {
    return quick(() -> {
      cli.call(r, 30, "CONFIG", "SET", "appendonly", "yes");
      long deadline = System.currentTimeMillis() + 3_600_000;
      while (System.currentTimeMillis() < deadline) {
        String info = cli.call(r, 30, "INFO", "persistence");
        if ("1".equals(RedisCli.infoField(info, "aof_enabled"))
            && "0".equals(RedisCli.infoField(info, "aof_rewrite_in_progress"))
            && "0".equals(RedisCli.infoField(info, "aof_rewrite_scheduled"))) {
          if (!"ok".equals(RedisCli.infoField(info, "aof_last_bgrewrite_status"))) {
            throw FailureKind.REDIS_TOOL_FAILED.failure("redis " + r.name()
                + " could not write its AOF after the restore: aof_last_bgrewrite_status "
                + RedisCli.infoField(info, "aof_last_bgrewrite_status"));
          }
          return Long.parseLong(cli.call(r, 30, "DBSIZE").strip());
        }
        sleep(200);
      }
      throw FailureKind.REDIS_TOOL_FAILED.failure("AOF rewrite of redis " + r.name()
          + " did not finish in an hour");
    });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.REDIS_TOOL_FAILED.failure("interrupted");
    }
  }

  /**
   * A short step that keeps no heartbeat details: heartbeats while it runs (see Keepalive), so
   * a worker killed during it is noticed after the workflow's 10 s heartbeat timeout, not its
   * 10 minute start-to-close.
   */
  static <T> T quick(java.util.function.Supplier<T> body) {
    return io.lifeboat.run.Keepalive.during(() -> typed(body));
  }
}
