package io.lifeboat.cli.backup;

import io.lifeboat.backup.opensearch.OpenSearchBackupRequest;
import io.lifeboat.backup.opensearch.OpenSearchBackupResult;
import io.lifeboat.backup.opensearch.OpenSearchBackupWorkflow;
import io.lifeboat.backup.opensearch.OpenSearchBackupWorkflowImpl;
import io.lifeboat.backup.opensearch.OpenSearchManifest;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OpenSearchSources;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.SourceLaunch;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "opensearch", description = {
    "Back up one OpenSearch (or Elasticsearch) node now: a snapshot into its fs repository,",
    "whose new files are shipped compressed and encrypted into the repository, fetched back",
    "and restored into scratch indices (document counts compared) before the manifest is",
    "written."})
final class BackupOpenSearchCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "NAME", description = "opensearch[].name from the config")
  String name;

  @Mixin LaunchOptions launchOptions;

  @Override
  public Integer call() {
    LifeboatCli root = parent.root;
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      OpenSearchConfig o = OpenSearchSources.named(c, s.configPath(), name);
      OpenSearchBackupRequest request = OpenSearchBackupWorkflow.request(c, o);
      return SourceLaunch.run(s, launchOptions, out, io.lifeboat.run.WorkflowIds.manual(OpenSearchSources.backupId(c, o)),
          SourceLaunch.Run.BACKUP, "opensearch " + o.name(), OpenSearchBackupWorkflow.class,
          OpenSearchBackupWorkflowImpl.KIND_OPENSEARCH, wf -> WorkflowClient.start(wf::backup, request),
          OpenSearchBackupResult.class, (res, link) -> print(out, c, res, link));
    }
  }

  private static void print(PrintWriter out, LifeboatConfig c, OpenSearchBackupResult r,
      String link) {
    OpenSearchManifest m = r.manifest();
    out.println("backup " + m.backupId() + " of opensearch " + m.name() + " is committed");
    out.println("  snapshot    " + m.snapshot() + " (" + m.distribution() + " "
        + m.serverVersion() + ", repository " + m.repositoryName() + ")");
    out.println("  documents   " + m.documents());
    out.println("  files       " + m.files() + " (" + Bytes.human(m.rawBytes()) + ", "
        + Bytes.human(m.storedBytes()) + " stored, " + Bytes.human(m.uploadedBytes())
        + " uploaded by this backup)");
    out.println("  location    s3://" + c.repository().bucket() + "/" + m.fileListKey());
    out.println("  verified    " + m.verification());
    if (!r.expiredBackupIds().isEmpty()) {
      out.println("  expired     " + String.join(", ", r.expiredBackupIds()));
    }
    if (r.retentionWarning() != null) out.println("  warning     " + r.retentionWarning());
    out.println("  " + link);
  }
}
