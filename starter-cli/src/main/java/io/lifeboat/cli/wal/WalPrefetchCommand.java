package io.lifeboat.cli.wal;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.wal.WalPrefetcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The prefetcher behind asynchronous wal-fetch; the launcher starts it under a lock. */
@Command(name = "wal-prefetch", hidden = true,
    description = "Restore WAL files ahead of PostgreSQL's requests into the spool.")
public final class WalPrefetchCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;
  @Mixin WalSpoolOptions spool;

  @Option(names = "--ahead", defaultValue = "16")
  int ahead;

  @Option(names = "--idle-seconds", defaultValue = "30")
  int idleSeconds;

  @Override
  public Integer call() throws Exception {
    Path dir = spool.dir();
    Path fetch = dir.resolve("fetch");
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      DatabaseConfig db = spool.open(s, fetch.resolve("fatal"));
      WalSpoolOptions.withPidFile(fetch.resolve("prefetcher.pid"), () ->
          new WalPrefetcher(WalArgs.archive(s, db), dir, spool.parallel, ahead,
              s.config().wal().segmentSizeBytes(), Duration.ofSeconds(idleSeconds),
              System.out).run());
      return 0;
    }
  }
}
