package io.lifeboat.cli.backup;

import io.lifeboat.backup.mariadb.MariaDbBackupRequest;
import io.lifeboat.backup.mariadb.MariaDbBackupResult;
import io.lifeboat.backup.mariadb.MariaDbBackupWorkflow;
import io.lifeboat.backup.mariadb.MariaDbBackupWorkflowImpl;
import io.lifeboat.backup.mariadb.MariaDbManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.MariaDbSources;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.SourceLaunch;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.MariaDbConfig;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "mariadb", description = {
    "Back up one MariaDB/MySQL server now: one mariadb-dump --single-transaction of its",
    "databases (routines, events, triggers, the binlog position), compressed and encrypted",
    "into the repository, read back and restored into a scratch mariadbd whose CHECKSUM TABLE",
    "must equal the source's before its manifest is written. --physical (or",
    "mariadb[].method: physical): mariadb-backup's xbstream instead, prepared and started as",
    "the scratch server."})
final class BackupMariaDbCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "mariadb[].name from the config")
  String name;

  @Option(names = "--physical", description = {
      "A physical backup (mariadb-backup --backup --stream=xbstream, on the server's host)",
      "instead of mariadb-dump; mariadb[].method: physical makes it the default."})
  boolean physical;

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      MariaDbConfig m = MariaDbSources.named(c, s.configPath(), name);
      MariaDbBackupRequest request = MariaDbBackupWorkflow.request(c, m, physical);
      return SourceLaunch.run(s, launchOptions, out, io.lifeboat.run.WorkflowIds.manual(MariaDbSources.backupId(c, m)),
          SourceLaunch.Run.BACKUP, "mariadb " + m.name(), MariaDbBackupWorkflow.class,
          MariaDbBackupWorkflowImpl.KIND_MARIADB, wf -> WorkflowClient.start(wf::backup, request),
          MariaDbBackupResult.class, (res, link) -> print(out, c, res, link));
    }
  }

  private static void print(PrintWriter out, LifeboatConfig c, MariaDbBackupResult r,
      String link) {
    MariaDbManifest m = r.manifest();
    out.println("backup " + m.backupId() + " of mariadb " + m.name() + " is committed");
    out.println("  databases   " + String.join(", ", m.databases()) + " (" + m.tables().size()
        + " tables)");
    out.println("  method      " + (m.physical() ? "physical (mariadb-backup)"
        : "logical (mariadb-dump)"));
    out.println("  size        " + Bytes.human(m.rawBytes()) + (m.physical() ? " xbstream, "
        : " SQL, ")
        + Bytes.human(m.storedBytes()) + " stored (" + m.compression() + ")");
    out.println("  binlog      " + (m.binlogFile() == null ? "none (the server writes no binlog)"
        : m.binlogFile() + ":" + m.binlogPosition()
            + (m.gtidPosition() == null ? "" : " (gtid " + m.gtidPosition() + ")")));
    out.println("  location    s3://" + c.repository().bucket() + "/" + m.objectKey());
    out.println("  sha256      " + m.sha256());
    out.println("  verified    " + m.verification());
    if (!r.expiredBackupIds().isEmpty()) {
      out.println("  expired     " + String.join(", ", r.expiredBackupIds()));
    }
    if (r.retentionWarning() != null) out.println("  warning     " + r.retentionWarning());
    out.println("  " + link);
  }
}
