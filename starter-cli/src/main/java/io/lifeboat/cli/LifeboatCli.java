package io.lifeboat.cli;

import io.lifeboat.cli.approval.ApproveCommand;
import io.lifeboat.cli.approval.WaitingCommand;
import io.lifeboat.cli.backup.BackupCommand;
import io.lifeboat.cli.backup.BackupsCommand;
import io.lifeboat.cli.check.CheckCommand;
import io.lifeboat.cli.config.ConfigCommand;
import io.lifeboat.cli.drill.DrillCommand;
import io.lifeboat.cli.keys.KeysCommand;
import io.lifeboat.cli.offsite.OffsiteCommand;
import io.lifeboat.cli.readiness.ReadinessCommand;
import io.lifeboat.cli.recover.RecoverCommand;
import io.lifeboat.cli.recover.RestoreCommand;
import io.lifeboat.cli.recover.TargetCommand;
import io.lifeboat.cli.repo.RepoCommand;
import io.lifeboat.cli.report.ReportCommand;
import io.lifeboat.cli.rollback.RollbackCommand;
import io.lifeboat.cli.schedules.SchedulesCommand;
import io.lifeboat.cli.verify.VerifyCommand;
import io.lifeboat.cli.wal.WalCommand;
import io.lifeboat.cli.wal.WalFetchCommand;
import io.lifeboat.cli.wal.WalPrefetchCommand;
import io.lifeboat.cli.wal.WalPushCommand;
import io.lifeboat.cli.wal.WalShipCommand;
import io.lifeboat.cli.worker.AgentCommand;
import io.lifeboat.cli.worker.WorkerCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "lifeboat", version = "lifeboat 0.1.0",
    description = "Durable backup and disaster recovery on Temporal.",
    subcommands = {
        BackupCommand.class,
        BackupsCommand.class,
        SchedulesCommand.class,
        ConfigCommand.class,
        WorkerCommand.class,
        AgentCommand.class,
        ReportCommand.class,
        RollbackCommand.class,
        KeysCommand.class,
        VerifyCommand.class,
        CheckCommand.class,
        ReadinessCommand.class,
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
        RepoCommand.class,
        RestoreCommand.class,
        io.lifeboat.cli.snapshot.SnapshotCommand.class,
        ClassArchiveTrainingCommand.class,
    })
public final class LifeboatCli implements Runnable {
  public final Map<String, String> env;

  @CommandLine.Spec
  public CommandLine.Model.CommandSpec spec;

  /**
   * Inherited by every command: {@code lifeboat repo ls --help} printed "Unknown option:
   * '--help' (see 'lifeboat repo ls --help')" and exited 2, since only a few commands mixed in
   * the standard help options. A help request is never bad input, and skips required
   * parameters ({@code lifeboat backup db --help} needs no NAME).
   */
  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true,
      scope = CommandLine.ScopeType.INHERIT, description = "Show this help message and exit.")
  boolean help;

  @CommandLine.Option(names = {"-V", "--version"}, versionHelp = true,
      description = "Print version information and exit.")
  boolean version;

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
        .setParameterExceptionHandler(codes)
        .setExecutionStrategy(LifeboatCli::execute);
  }

  /**
   * picocli skips its unmatched-argument check when a help option is given, so
   * {@code lifeboat agent --help} printed the top-level help and exited 0. An argument no
   * command matched is bad input whether or not help follows it.
   */
  private static int execute(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (!p.unmatched().isEmpty()) {
        throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(),
            p.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = commandLine(System.getenv(), out, err).execute(args);
    System.exit(code);
  }
}
