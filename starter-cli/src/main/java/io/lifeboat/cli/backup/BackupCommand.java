package io.lifeboat.cli.backup;

import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.BackupResult;
import io.lifeboat.backup.dump.DatabaseBackupWorkflow;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.WorkflowIds;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = "Start a backup.",
    subcommands = {BackupCommand.Db.class, BaseBackupCommand.class, BackupAppCommand.class,
        BackupConfigCommand.class, BackupRedisCommand.class, BackupOpenSearchCommand.class,
        BackupMariaDbCommand.class, BackupMariaDbBinlogsCommand.class,
        io.lifeboat.cli.files.BackupFilesCommand.class,
        io.lifeboat.cli.bacula.BackupBaculaCommand.class})
public final class BackupCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "db", description = "Back up one database now (pg_dump to the repository).")
  static final class Db implements Callable<Integer> {
    @ParentCommand BackupCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", description = "database name from the config")
    String name;

    @Mixin LaunchOptions launchOptions;

    @Override
    public Integer call() {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        DatabaseConfig db = s.database(name);
        WorkflowClient client = s.temporal().client();
        WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
            WorkflowIds.manual(BackupPlans.workflowIdBase(c, db)));
        String id = launch.workflowId();
        DatabaseBackupWorkflow wf = client.newWorkflowStub(DatabaseBackupWorkflow.class,
            launch.options(BackupPlans.options(c, db, id)));
        // A scheduled run has an id of its own: only visibility knows it runs.
        return launch
            .refuseIfRunning(LifeboatSearchAttributes.DATABASE.getName() + "='" + db.name()
                    + "' AND " + LifeboatSearchAttributes.KIND.getName() + "='"
                    + LifeboatSearchAttributes.KIND_DB_FULL + "'",
                running -> "a backup of " + db.name() + " is already running (" + running
                    + "); not starting another")
            .start(() -> WorkflowClient.start(wf::backup, DatabaseBackupWorkflow.request(c, db)),
                "a backup of " + db.name() + " is already running (" + id + "); wait for it: "
                    + launch.link())
            .startedLine("started backup of " + db.name() + ": " + id + "\n  " + launch.link())
            .followingLine("backing up " + db.name() + " (" + id + ")")
            .followAndPrint(show -> new BackupProgress(client, id, out, show).await(),
                (r, link) -> printSummary(out, c, r, link));
      }
    }

    private static void printSummary(PrintWriter out, LifeboatConfig c, BackupResult r, String link) {
      BackupManifest m = r.manifest();
      long dumpMillis = r.steps().stream().filter(t -> t.step().equals("dump-and-upload"))
          .mapToLong(t -> t.durationMillis()).sum();
      long totalMillis = r.steps().stream().mapToLong(t -> t.durationMillis()).sum();
      double ratio = m.storedBytes() == 0 ? 0 : (double) m.rawBytes() / m.storedBytes();
      double mbps = dumpMillis == 0 ? 0 : m.rawBytes() / 1048576.0 / (dumpMillis / 1000.0);
      out.println();
      out.println("backup " + m.backupId() + " of " + m.database() + " is committed");
      out.printf("  size        %s dumped, %s stored (%.1fx, %s)%n", Bytes.human(m.rawBytes()),
          Bytes.human(m.storedBytes()), ratio, m.compression());
      out.printf("  duration    %s total, dump+upload %s (%.1f MB/s)%n",
          Bytes.duration(totalMillis), Bytes.duration(dumpMillis), mbps);
      out.println("  location    s3://" + c.repository().bucket() + "/" + m.objectKey());
      if (m.localCopy() != null) out.println("  local copy  " + m.localCopy());
      out.println("  sha256      " + m.sha256());
      out.println("  verified    " + m.verification());
      for (var t : r.steps()) {
        out.printf("    %-16s %8s%n", t.step(), Bytes.duration(t.durationMillis()));
      }
      List<String> expired = r.expiredBackupIds();
      if (!expired.isEmpty()) out.println("  expired     " + String.join(", ", expired));
      if (r.retentionWarning() != null) out.println("  warning     " + r.retentionWarning());
      out.println("  workflow    " + link);
    }
  }
}
