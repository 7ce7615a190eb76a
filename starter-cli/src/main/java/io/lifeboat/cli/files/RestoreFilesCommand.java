package io.lifeboat.cli.files;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;

import io.lifeboat.backup.files.FilesRestore;
import io.lifeboat.config.FilesConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `restore files NAME [--snapshot ID|latest] --to DIR` (issue 20): runs here, not on a worker. */
@Command(name = "files", description = "Restore a snapshot of a files source into DIR (restic"
    + " restore --verify, borg extract, a copy of an rsync generation, or duplicity restore"
    + " --time), then compare DIR with the snapshot's listing: types, sizes, modes, link targets"
    + " (rsync and duplicity: SHA-256s), nothing"
    + " missing, nothing extra. Paths stay absolute (DIR/srv/uploads/...). DIR must be empty or"
    + " new, and never the source (unless --over-source). borg and rsync read the repository"
    + " path: run it on the host that has it.")
public final class RestoreFilesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "files source name from the config (files:)")
  String name;

  @Option(names = "--snapshot", paramLabel = "ID", defaultValue = "latest",
      description = "a restic snapshot id (or its first 8 characters), a borg archive or rsync"
          + " generation name (the backup id), or latest (default)")
  String snapshot;

  @Option(names = "--to", paramLabel = "DIR", required = true,
      description = "an empty or new directory, outside the source's paths")
  Path to;

  @Option(names = "--over-source", description = "allow DIR to overlap the source's paths")
  boolean overSource;

  @Option(names = "--json") boolean json;

  @Override
  public Integer call() {
    LifeboatCli root = (LifeboatCli) spec.root().userObject();
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      FilesConfig f = FilesPlans.source(s, name);
      FilesRestore restore = new FilesRestore(f, s.config().repository(), s.secrets(),
          s.config().repositoryAddress(f));
      FilesRestore.Restored r;
      try {
        restore.checkTarget(to, overSource);
        FilesPlans.requirePassword(s, f);
        r = restore.restore(snapshot, to, overSource);
      } catch (FilesRestore.Refused e) {
        throw new UserError(e.getMessage());
      } catch (FilesRestore.Failed | java.io.UncheckedIOException e) {
        throw new OperationFailed("restore files " + f.name() + ": " + e.getMessage());
      }
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("snapshotId", r.snapshotId());
        o.put("snapshotTime", r.snapshotTime());
        o.put("directory", r.directory().toString());
        o.put("paths", r.paths());
        o.put("files", r.files());
        o.put("directories", r.directories());
        o.put("links", r.links());
        o.put("differences", r.differences());
        out.println(Json.write(o));
      } else {
        out.println("restored snapshot " + r.snapshotId() + " (" + r.snapshotTime() + ") of files "
            + f.name() + " into " + r.directory() + ": " + r.files() + " files, "
            + r.directories() + " directories, " + r.links() + " links");
        for (String p : r.paths()) out.println("  " + p + " is at " + r.directory() + p);
        if (r.differences().isEmpty()) {
          out.println("  identical to the snapshot (" + switch (f.engine()) {
            case FilesConfig.BORG -> "borg verified the content on extract";
            case FilesConfig.RSYNC -> "every file's SHA-256 matches the manifest";
            default -> "restic verified the content";
          } + "; types, sizes and modes compared)");
        }
      }
      if (!r.differences().isEmpty()) {
        throw new OperationFailed("restore files " + f.name() + ": " + r.differences().size()
            + " differences from snapshot " + r.snapshotId() + ", first: "
            + r.differences().get(0));
      }
      return 0;
    }
  }
}
