package io.lifeboat.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "lifeboat", mixinStandardHelpOptions = true, version = "lifeboat 0.1.0",
    description = "Durable backup and disaster recovery on Temporal.",
    subcommands = {
        BackupCommand.class,
        BackupsCommand.class,
        SchedulesCommand.class,
        ConfigCommand.class,
        WorkerCommand.class,
        ReportCommand.class,
        RollbackCommand.class,
        KeysCommand.class,
        VerifyCommand.class,
        CheckCommand.class,
        RecoverCommand.class,
        TargetCommand.class,
        WalPushCommand.class,
        WalFetchCommand.class,
        WalShipCommand.class,
        WalPrefetchCommand.class,
        WalCommand.class,
        ApproveCommand.class,
        WaitingCommand.class,
        DrillCommand.class,
        OffsiteCommand.class,
        ClassArchiveTrainingCommand.class,
    })
public final class LifeboatCli implements Runnable {
  final Map<String, String> env;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public LifeboatCli(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a verb is required");
  }

  /** Builds the command line with the one exception mapping; tests use it in-process. */
  public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    ExitCodes codes = new ExitCodes();
    return new CommandLine(new LifeboatCli(env))
        .setOut(out).setErr(err)
        .setExecutionExceptionHandler(codes)
        .setParameterExceptionHandler(codes);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = commandLine(System.getenv(), out, err).execute(args);
    System.exit(code);
  }
}
