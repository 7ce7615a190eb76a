package io.lifeboat.cli;

import io.lifeboat.backup.base.BaseBackupWorkflow;
import io.lifeboat.cli.backup.BaseBackupCommand;
import io.lifeboat.config.LifeboatConfig;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

/**
 * Run by the launcher once after each build, under {@code -XX:ArchiveClassesAtExit}: it loads
 * the classes a command needs (every command's model, the config, the Temporal client with its
 * codec, a request through the data converter, one read-only call, the S3 client), so the
 * class-data archive serves every verb. Before, the first command after a build wrote the
 * archive, and when that was {@code --version} or {@code status}, every later {@code backup}
 * loaded most of its classes from the jars again (2.3 s instead of 0.9 s to start a workflow).
 * It changes nothing and always exits 0: a config it cannot read still leaves an archive.
 */
@Command(name = "class-archive-training", hidden = true,
    description = "Load the classes most commands use, for the launcher's class-data archive.")
final class ClassArchiveTrainingCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Override
  public Integer call() {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    usage(root.spec.commandLine(), nowhere);
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      WorkflowClient client = s.temporal().client();
      if (!c.databases().isEmpty()) {
        var db = c.databases().get(0);
        client.getOptions().getDataConverter().toPayloads(BaseBackupWorkflow.request(c, db));
        client.newWorkflowStub(BaseBackupWorkflow.class,
            BaseBackupCommand.options(c, db, "lifeboat-class-archive-training").build());
      }
      try {
        client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        client.listExecutions("WorkflowId = 'lifeboat-class-archive-training'").findFirst();
      } catch (RuntimeException temporalDown) {
        // the classes of the call path are loaded either way
      }
      s.repository();
      nowhere.print(Json.write(java.util.Map.of("trained", true)));
    } catch (RuntimeException unusableConfig) {
      // the archive then holds fewer classes; the command that follows still runs
    }
    return 0;
  }

  private static void usage(CommandLine cmd, PrintWriter out) {
    cmd.usage(out);
    cmd.getSubcommands().values().forEach(sub -> usage(sub, out));
  }
}
