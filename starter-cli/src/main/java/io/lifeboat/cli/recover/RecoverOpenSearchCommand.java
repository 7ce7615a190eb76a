package io.lifeboat.cli.recover;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OpenSearchSources;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.SourceLaunch;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryRequest;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryResult;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryWorkflow;
import io.lifeboat.recover.opensearch.OpenSearchRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "opensearch", description = {
    "Recover indices of one OpenSearch (or Elasticsearch) node from a stored snapshot: the",
    "files fetched into a scratch read-only repository, restored renamed and counted first;",
    "then each live index is write-blocked, cloned to INDEX-before-RUN (kept), deleted, and",
    "the snapshot restored under the original names."})
final class RecoverOpenSearchCommand implements Callable<Integer> {
  @ParentCommand RecoverCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "opensearch[].name from the config")
  String name;

  @Option(names = "--backup", paramLabel = "ID",
      description = "the backup to restore (default: the newest committed one)")
  String backupId;

  @Option(names = "--indices", paramLabel = "INDEX", split = ",",
      description = "indices of the backup to restore, comma-separated (default: all of them)")
  List<String> indices = new ArrayList<>();

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    if (backupId != null && !backupId.matches("[0-9]{8}T[0-9]{6}Z[A-Za-z0-9.-]{0,40}")) {
      throw new UserError("--backup " + (backupId.length() > 60 ? backupId.substring(0, 60)
          + "..." : backupId) + " is not a backup id (e.g. 20261121T020000Z.123-4f9a2c1d)");
    }
    for (String i : indices) {
      if (!i.matches("[a-z0-9_][a-z0-9_.+-]{0,200}")) {
        throw new UserError("--indices: '" + i + "' is not an index name (lower case, no"
            + " wildcards)");
      }
    }
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      OpenSearchConfig o = OpenSearchSources.named(c, s.configPath(), name);
      OpenSearchRecoveryRequest request = new OpenSearchRecoveryRequest(o, c.repository(),
          backupId, indices, c.retries(), io.lifeboat.notify.NotificationTarget.of(c),
          SourceLaunch.timing(s, OpenSearchRecoveryWorkflowImpl.KIND_OPENSEARCH_RECOVERY,
              OpenSearchSources.recoveryId(c, o)));
      return SourceLaunch.run(s, launchOptions, out, OpenSearchSources.recoveryId(c, o),
          SourceLaunch.Run.RECOVERY, "opensearch " + o.name(), OpenSearchRecoveryWorkflow.class,
          OpenSearchRecoveryWorkflowImpl.KIND_OPENSEARCH_RECOVERY, wf -> WorkflowClient.start(wf::recover, request),
          OpenSearchRecoveryResult.class, (res, link) -> {
                out.println("opensearch " + res.name() + " recovered from backup "
                    + res.backupId() + ": " + res.restored() + " documents (manifest: "
                    + res.expected() + ")");
                res.kept().forEach((from, to) -> out.println("  the replaced index " + from
                    + " is kept as " + to + " (write-blocked)"));
                SourceLaunch.reportLine(out, res.report(), OpenSearchSources.recoveryId(c, o));
                out.println("  " + link);
              });
    }
  }
}
