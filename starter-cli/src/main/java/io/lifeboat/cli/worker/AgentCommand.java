package io.lifeboat.cli.worker;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.worker.AgentMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The agent of one host of a multi-host estate (issue 17): polls only that host's task queue
 * and runs the activities that need the host's files or processes.
 */
@Command(name = "agent", description = "Run the agent of one host in the foreground: it polls"
    + " the host's own task queue (<temporal.taskQueue>-host-<NAME>) and runs only host-bound"
    + " activities. The config must list the host under hosts:. Refuses (exit 2, nothing"
    + " started) while another agent polls that queue.")
public final class AgentCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--host", required = true, paramLabel = "NAME",
      description = "the host this agent serves (a hosts[].name of the config)")
  String host;

  @Option(names = "--task-queue", paramLabel = "QUEUE",
      description = "override temporal.taskQueue (the agent polls QUEUE-host-NAME)")
  String taskQueue;

  @Override
  public Integer call() throws Exception {
    Path file = configOption.resolve(root.env);
    LifeboatConfig config = new ConfigLoader().load(file);
    String refused = AgentMain.refusal(config, file.toString(), host);
    if (refused != null) throw new UserError(refused);
    try {
      AgentMain.run(config, host, taskQueue);
    } catch (AgentMain.Refused another) {
      throw new UserError(another.getMessage());
    }
    return 0;
  }
}
