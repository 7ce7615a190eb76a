package io.lifeboat.cli.recover;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.MariaDbSources;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.SourceLaunch;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.MariaDbConfig;
import io.lifeboat.recover.mariadb.MariaDbRecoveryRequest;
import io.lifeboat.recover.mariadb.MariaDbRecoveryResult;
import io.lifeboat.recover.mariadb.MariaDbRecoveryWorkflow;
import io.lifeboat.recover.mariadb.MariaDbRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "mariadb", description = {
    "Recover the databases of one MariaDB/MySQL server from a stored dump: read back whole",
    "first (nothing is touched if it is damaged), the damaged tables kept in DB_before_RUN",
    "databases, the dump loaded, then every table's CHECKSUM TABLE and row count compared with",
    "the manifest. A physical backup (mariadb-backup) is prepared in a new directory beside",
    "mariadb[].dataDir, binlogs replayed into it for --to, then swapped in (the old one kept)."})
final class RecoverMariaDbCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "mariadb[].name from the config")
  String name;

  @Option(names = "--backup", paramLabel = "ID",
      description = "the backup to restore (default: the newest committed one)")
  String backupId;

  @Option(names = "--to", paramLabel = "TIME",
      description = {"point in time, e.g. 2026-11-21T09:14:00Z (no zone: UTC): the newest backup",
          "finished before it, then the archived binlogs replayed up to the first transaction",
          "after it"})
  String to;

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    if (backupId != null && !backupId.matches("[0-9]{8}T[0-9]{6}Z[A-Za-z0-9.-]{0,40}")) {
      throw new UserError("--backup " + (backupId.length() > 60 ? backupId.substring(0, 60)
          + "..." : backupId) + " is not a backup id (e.g. 20261121T020000Z.123-4f9a2c1d)");
    }
    if (to != null && backupId != null) {
      throw new UserError("--to and --backup exclude each other: --to chooses the backup");
    }
    Long target = to == null ? null : RecoverCommand.Db.parseTime(to).toEpochMilli();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      MariaDbConfig m = MariaDbSources.named(c, s.configPath(), name);
      MariaDbRecoveryRequest request = new MariaDbRecoveryRequest(m, c.repository(), backupId,
          target, c.retries(), io.lifeboat.notify.NotificationTarget.of(c),
          SourceLaunch.timing(s, MariaDbRecoveryWorkflowImpl.KIND_MARIADB_RECOVERY,
              MariaDbSources.recoveryId(c, m)));
      return SourceLaunch.run(s, launchOptions, out, MariaDbSources.recoveryId(c, m),
          SourceLaunch.Run.RECOVERY, "mariadb " + m.name(), MariaDbRecoveryWorkflow.class,
          MariaDbRecoveryWorkflowImpl.KIND_MARIADB_RECOVERY, wf -> WorkflowClient.start(wf::recover, request),
          MariaDbRecoveryResult.class, (res, link) -> {
                boolean physical = res.kept().keySet().stream().anyMatch(k -> k.startsWith("/"));
                out.println("mariadb " + res.name() + " recovered from backup " + res.backupId()
                    + ": " + res.tables() + (physical
                        ? " tables checked after the swap (CHECKSUM TABLE equal to the copy's)"
                        : " tables equal to the manifest (CHECKSUM TABLE)"));
                if (res.replay() != null) {
                  out.println("  replayed " + res.replay().transactions() + " transactions from "
                      + String.join(", ", res.replay().files()) + " (last at "
                      + res.replay().lastApplied() + "), cut at "
                      + (res.replay().stopPosition() == null ? "the end of the archive"
                          : "position " + res.replay().stopPosition()));
                }
                res.kept().forEach((db, k) -> out.println(db.startsWith("/")
                    ? "  the damaged data directory " + db + " is kept at " + k
                    : "  the damaged tables of " + db + " are kept in " + k));
                SourceLaunch.reportLine(out, res.report(), MariaDbSources.recoveryId(c, m));
                out.println("  " + link);
              });
    }
  }
}
