package io.lifeboat.cli;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.wal.WalPrefetcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
final class WalPrefetchCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--database", paramLabel = "NAME", required = true)
  String database;

  @Option(names = "--spool", paramLabel = "DIR", required = true)
  Path spool;

  @Option(names = "--parallel", defaultValue = "4")
  int parallel;

  @Option(names = "--ahead", defaultValue = "16")
  int ahead;

  @Option(names = "--idle-seconds", defaultValue = "30")
  int idleSeconds;

  @Override
  public Integer call() throws Exception {
    Path dir = spool.resolve(database);
    Path fetch = dir.resolve("fetch");
    Files.createDirectories(fetch);
    Path fatal = fetch.resolve("fatal");
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
      Path pid = fetch.resolve("prefetcher.pid");
      Files.writeString(pid, ProcessHandle.current().pid() + "\n");
      try {
        new WalPrefetcher(WalArgs.archive(s, db), dir, parallel, ahead,
            s.config().wal().segmentSizeBytes(), Duration.ofSeconds(idleSeconds), System.out).run();
      } finally {
        Files.deleteIfExists(pid);
      }
      return 0;
    }
  }
}
