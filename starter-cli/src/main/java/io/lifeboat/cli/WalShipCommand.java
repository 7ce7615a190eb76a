package io.lifeboat.cli;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.wal.WalShipper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
final class WalShipCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--database", paramLabel = "NAME", required = true)
  String database;

  @Option(names = "--spool", paramLabel = "DIR", required = true)
  Path spool;

  @Option(names = "--parallel", defaultValue = "4")
  int parallel;

  @Option(names = "--idle-seconds", defaultValue = "60")
  int idleSeconds;

  @Override
  public Integer call() throws Exception {
    Path dir = spool.resolve(database);
    Files.createDirectories(dir);
    Path fatal = dir.resolve("fatal");
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      DatabaseConfig db;
      try {
        db = s.database(database);
        s.repository();
      } catch (RuntimeException e) {
        Files.writeString(fatal, e.getMessage().replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
        throw e;
      }
      Files.deleteIfExists(fatal);
      // For operators and tests that must stop it; the lock, not this file, decides who runs.
      Path pid = dir.resolve("shipper.pid");
      Files.writeString(pid, ProcessHandle.current().pid() + "\n");
      try {
        new WalShipper(WalArgs.archive(s, db), dir, parallel, Duration.ofSeconds(idleSeconds),
            System.out).run();
      } finally {
        Files.deleteIfExists(pid);
      }
      return 0;
    }
  }
}
