package io.lifeboat.cli.files;

import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.AppWait;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.WorkflowLaunch;

import io.lifeboat.backup.files.FilesBackupRequest;
import io.lifeboat.backup.files.FilesBackupResult;
import io.lifeboat.backup.files.FilesBackupStatus;
import io.lifeboat.backup.files.FilesBackupWorkflow;
import io.lifeboat.backup.files.FilesManifest;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "files", description = "Back up a file tree now with the source's engine: restic"
    + " (into the repository, then restic check --read-data-subset and forget --prune), borg"
    + " (borg create, check --verify-data, prune) or rsync (a --link-dest generation, its"
    + " SHA-256 manifest re-read, old generations deleted).")
public final class BackupFilesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption configOption;
  @Mixin LaunchOptions launchOptions;

  @Parameters(paramLabel = "NAME", description = "files source name from the config (files:)")
  String name;

  @Override
  public Integer call() {
    LifeboatCli root = (LifeboatCli) spec.root().userObject();
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      FilesConfig f = FilesPlans.source(s, name);
      FilesPlans.requirePassword(s, f);
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          io.lifeboat.run.WorkflowIds.manual(FilesPlans.backupId(c, f)));
      String id = launch.workflowId();
      FilesBackupWorkflow wf = client.newWorkflowStub(FilesBackupWorkflow.class,
          launch.options(AppPlans.options(c, id, LifeboatSearchAttributes.KIND_FILES, null)));
      return launch
          .start(() -> WorkflowClient.start(wf::backup,
                  FilesBackupWorkflow.request(c, f, "manual")),
              "a backup of " + f.name() + " is already running (" + id + ")")
          .startedLine("started backup of files " + f.name() + ": " + id + "\n  " + launch.link())
          .followingLine("backing up files " + f.name() + " (" + id + ")")
          .followAndPrint(show -> AppWait.await(client, id, FilesBackupResult.class, out, show,
                  "backup", stub -> stub.query("status", FilesBackupStatus.class).step()),
              (r, link) -> print(out, r, link));
    }
  }

  private static void print(PrintWriter out, FilesBackupResult r, String link) {
    FilesManifest m = r.manifest();
    out.println();
    out.println("backup " + m.backupId() + " of files " + m.source() + " is committed: "
        + (FilesConfig.RESTIC.equals(m.engine()) ? "restic snapshot " : m.engine() + " generation ")
        + m.snapshotId());
    if (FilesConfig.RESTIC.equals(m.engine())) {
      out.printf("  files       %d (%d new, %d changed), %s, %s added%n", m.totalFiles(),
          m.filesNew(), m.filesChanged(), Bytes.human(m.totalBytes()), Bytes.human(m.bytesAdded()));
    } else {
      // borg and rsync do not count new and changed files: the bytes added say how much changed.
      out.printf("  files       %d, %s, %s added (%s)%n", m.totalFiles(),
          Bytes.human(m.totalBytes()), Bytes.human(m.bytesAdded()), m.resticVersion());
    }
    out.println("  repository  " + m.repository());
    out.println("  verified    " + m.verification());
    out.println("  kept        " + String.join(", ", m.kept()));
    if (!m.removed().isEmpty()) out.println("  removed     " + String.join(", ", m.removed()));
    for (var t : r.steps()) out.printf("    %-16s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
    out.println("  manifest    " + r.manifestKey());
    out.println("  workflow    " + link);
  }
}
