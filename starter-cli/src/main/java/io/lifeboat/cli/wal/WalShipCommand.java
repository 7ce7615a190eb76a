package io.lifeboat.cli.wal;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.wal.WalShipper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The shipper behind asynchronous wal-push; the launcher starts it under a lock, one per
 * database, and nobody else needs to. Problems that stop it from starting (bad config,
 * unknown database) go to SPOOL/NAME/fatal, where the waiting wal-push reads them.
 */
@Command(name = "wal-ship", hidden = true,
    description = "Ship WAL files that wal-push requested from the spool (started by wal-push).")
public final class WalShipCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;
  @Mixin WalSpoolOptions spool;

  @Option(names = "--idle-seconds", defaultValue = "60")
  int idleSeconds;

  @Override
  public Integer call() throws Exception {
    Path dir = spool.dir();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      DatabaseConfig db = spool.open(s, dir.resolve("fatal"));
      // The lock, not the pid file, decides who runs.
      WalSpoolOptions.withPidFile(dir.resolve("shipper.pid"), () ->
          new WalShipper(WalArgs.archive(s, db), dir, spool.parallel,
              Duration.ofSeconds(idleSeconds), System.out).run());
      return 0;
    }
  }
}
