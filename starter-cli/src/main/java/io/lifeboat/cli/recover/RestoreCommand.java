package io.lifeboat.cli.recover;

import io.lifeboat.backup.config.ConfigurationRestore;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `restore config [ID] --to DIR`: the way back for what `backup config` stores. */
@Command(name = "restore", description = "Restore a stored backup into a new directory,"
    + " checked against its manifest (no Temporal needed).",
    subcommands = {RestoreCommand.Config.class, io.lifeboat.cli.files.RestoreFilesCommand.class})
public final class RestoreCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "config", description = "Restore a configuration backup (the newest, or ID)"
      + " into DIR, which must not exist: nginx/, pm2/, system/<absolute path>, jenkins/ as in"
      + " the archive, every file checked against its SHA-256 in the manifest. Nothing outside"
      + " DIR is touched; compare and copy back by hand (diff -ru DIR/nginx /etc/nginx).")
  static final class Config implements Callable<Integer> {
    @ParentCommand RestoreCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "ID", arity = "0..1",
        description = "a configuration backup id (default: the newest)")
    String id;

    @Option(names = "--to", paramLabel = "DIR", required = true,
        description = "a directory that does not exist yet")
    Path to;

    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        ConfigurationRestore.Restored r;
        try {
          r = new ConfigurationRestore(s.repository(), s.cipher(),
              s.config().repository().prefix()).restore(id, to);
        } catch (ConfigurationRestore.Refused e) {
          throw new UserError(e.getMessage());
        } catch (IOException e) {
          throw new OperationFailed("restore config: " + e.getMessage());
        }
        if (json) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("backupId", r.backupId());
          o.put("files", r.files());
          o.put("directory", r.directory().toAbsolutePath().toString());
          o.put("missingOptional", r.missingOptional());
          out.println(Json.write(o));
          return 0;
        }
        out.println("restored configuration backup " + r.backupId() + " into " + r.directory()
            + ": " + r.files() + " files, each matching its SHA-256 in the manifest");
        if (!r.missingOptional().isEmpty()) {
          out.println("  not in the backup (missing when it was taken): "
              + String.join(", ", r.missingOptional()));
        }
        out.println("  nothing outside " + r.directory() + " was changed; compare with e.g."
            + " diff -ru " + r.directory().resolve("nginx") + " /etc/nginx");
        return 0;
      }
    }
  }
}
