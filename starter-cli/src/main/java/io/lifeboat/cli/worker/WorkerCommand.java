package io.lifeboat.cli.worker;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.worker.WorkerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Runs the worker in the foreground: what `up` starts, and what a real estate runs. */
@Command(name = "worker", description = "Run a worker in the foreground (task queue from the config).")
public final class WorkerCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--task-queue", paramLabel = "QUEUE", description = "override temporal.taskQueue")
  String taskQueue;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(List.of("--config",
        configOption.resolve(root.env).toString()));
    if (taskQueue != null) {
      args.add("--task-queue");
      args.add(taskQueue);
    }
    WorkerMain.main(args.toArray(String[]::new));
    return 0;
  }
}
