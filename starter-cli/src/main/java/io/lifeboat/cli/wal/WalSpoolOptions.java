package io.lifeboat.cli.wal;

import io.lifeboat.cli.Session;
import io.lifeboat.config.DatabaseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The arguments of the launcher's background WAL processes (wal-ship, wal-prefetch), and how
 * they start: nobody reads their output, so a problem that stops one from starting goes to a
 * {@code fatal} file that the waiting wal-push / wal-fetch prints.
 */
public class WalSpoolOptions {
  @Option(names = "--database", paramLabel = "NAME", required = true)
  String database;

  @Option(names = "--spool", paramLabel = "DIR", required = true)
  Path spool;

  @Option(names = "--parallel", defaultValue = "4")
  int parallel;

  /** SPOOL/DATABASE. */
  Path dir() {
    return spool.resolve(database);
  }

  /**
   * The configured database, with the repository opened; what fails here is written to
   * {@code fatal} in one line and rethrown. A start that succeeds removes an old fatal.
   */
  DatabaseConfig open(Session s, Path fatal) throws IOException {
    Files.createDirectories(fatal.getParent());
    DatabaseConfig db;
    try {
      db = s.database(database);
      s.repository();
    } catch (RuntimeException e) {
      Files.writeString(fatal, e.getMessage().replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
      throw e;
    }
    Files.deleteIfExists(fatal);
    return db;
  }

  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with its pid in {@code pid}: for operators and tests that must stop it. */
  static void withPidFile(Path pid, Body body) throws Exception {
    Files.writeString(pid, ProcessHandle.current().pid() + "\n");
    try {
      body.run();
    } finally {
      Files.deleteIfExists(pid);
    }
  }
}
