package io.lifeboat.cli.wal;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.wal.WalNames;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * restore_command: {@code lifeboat wal-fetch --database NAME %f %p}. Exit 1 at once when the
 * archive does not have the file: PostgreSQL asks for names that do not exist (the next
 * timeline's history, the segment after the last one) and takes a failure as "not there".
 * Any other failure exits {@link ExitCodes#STOP_RECOVERY} (mapped in ExitCodes), so that a
 * segment that exists but cannot be restored stops the recovery instead of ending it there.
 */
@Command(name = "wal-fetch", description = {
    "Restore one archived WAL file (restore_command = 'lifeboat wal-fetch --database NAME %%f %%p').",
    "Checks its SHA-256 before it appears at PATH; exit 1 when the archive does not have it,",
    "128 when it cannot be restored (corrupt, wrong key, repository unreachable, bad arguments):",
    "PostgreSQL then stops the recovery instead of ending it at the file before."})
public final class WalFetchCommand implements Callable<Integer> {
  static final String USAGE = "lifeboat wal-fetch [--database NAME] WALNAME PATH";

  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--database", paramLabel = "NAME", description = "the configured database"
      + " whose archive to read (default: the only one in the config)")
  String database;

  @Option(names = "--spool", paramLabel = "DIR", description = "prefetch through this spool"
      + " (handled by the launcher; ignored here)")
  Path spool;

  @Parameters(paramLabel = "ARGS", description = "[NAME] WALNAME PATH (%%f %%p)", arity = "2..3")
  List<String> args;

  @Override
  public Integer call() {
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      WalArgs.Resolved r = WalArgs.resolve(s, database, args, USAGE);
      String name = r.first();
      if (!WalNames.isArchivable(name)) {
        throw new UserError("'" + name + "' is not a WAL file name; usage: " + USAGE);
      }
      Path dest = Path.of(r.second());
      if (!WalArgs.archive(s, r.database()).fetch(name, dest)) {
        root.spec.commandLine().getErr().println("lifeboat: " + name + " is not in the WAL"
            + " archive of " + r.database().name());
        return ExitCodes.FAILED;
      }
      return 0;
    }
  }
}
