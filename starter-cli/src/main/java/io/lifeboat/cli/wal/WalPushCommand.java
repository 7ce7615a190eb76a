package io.lifeboat.cli.wal;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * archive_command, synchronously: one JVM per file. The launcher runs the asynchronous path
 * (bash + a shipper, see WalShipper) when given --spool; this is the fallback and the reference.
 */
@Command(name = "wal-push", description = {
    "Archive one WAL file (archive_command = 'lifeboat wal-push --database NAME %%p %%f').",
    "Exit 0 only once it is stored; the same file again is a no-op; a different file under",
    "an archived name is refused (exit 1)."})
public final class WalPushCommand implements Callable<Integer> {
  static final String USAGE = "lifeboat wal-push [--database NAME] PATH WALNAME";

  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--database", paramLabel = "NAME", description = "the configured database"
      + " whose cluster this is (default: the only one in the config)")
  String database;

  @Option(names = "--spool", paramLabel = "DIR", description = "asynchronous archiving through"
      + " this spool (handled by the launcher; ignored here)")
  Path spool;

  @Parameters(paramLabel = "ARGS", description = "[NAME] PATH WALNAME (%%p %%f)", arity = "2..3")
  List<String> args;

  @Override
  public Integer call() {
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      WalArgs.Resolved r = WalArgs.resolve(s, database, args, USAGE);
      Path file = Path.of(r.first());
      String name = r.second();
      if (!WalNames.isArchivable(name)) {
        throw new UserError("'" + name + "' is not a WAL file name; usage: " + USAGE);
      }
      if (!Files.isRegularFile(file)) {
        throw new UserError("no such file: " + file + "; usage: " + USAGE);
      }
      WalArchive.PushResult res = WalArgs.archive(s, r.database()).push(file, name);
      if (root.env.get("LIFEBOAT_WAL_VERBOSE") != null) {
        root.spec.commandLine().getOut().println(res.outcome() == WalArchive.Outcome.STORED
            ? "archived " + name + " as " + res.key()
            : name + " was already archived with the same content");
      }
      return 0;
    }
  }
}
