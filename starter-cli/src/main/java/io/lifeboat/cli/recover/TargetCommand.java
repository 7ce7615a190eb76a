package io.lifeboat.cli.recover;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.Pm2;
import io.lifeboat.recover.server.TargetControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "target", description = "The recovery targets of servers: (recover server).",
    subcommands = {TargetCommand.Stop.class, TargetCommand.Reset.class})
public final class TargetCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "stop", description = "Stop a target's nginx, PM2 daemon and PostgreSQL.")
  static final class Stop implements Callable<Integer> {
    @ParentCommand TargetCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "servers[].name")
    String name;

    @Option(names = "--all", description = "every target in the config")
    boolean all;

    @Option(names = "--here", description = {"this machine is the target's host (servers[].host):",
        "act on it; without it a target on another host is refused"})
    boolean here;

    @Override
    public Integer call() {
      return parent.each(configOption, name, all, false, here);
    }
  }

  @Command(name = "reset", description = {"Stop a target's processes and remove its directory"
      + " root: it is a bare server again. Refused for a production target."})
  static final class Reset implements Callable<Integer> {
    @ParentCommand TargetCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "NAME", description = "servers[].name")
    String name;

    @Option(names = "--here", description = {"this machine is the target's host (servers[].host):",
        "act on it; without it a target on another host is refused"})
    boolean here;

    @Override
    public Integer call() {
      return parent.each(configOption, name, false, true, here);
    }
  }

  int each(ConfigOption configOption, String name, boolean all, boolean reset, boolean here) {
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      if (name == null && !all) throw new UserError("name the target, or --all");
      List<ServerTargetConfig> targets = all ? c.servers()
          : List.of(RecoverServerCommand.pick(c, name, s));
      TargetControl control = new TargetControl(Pm2.discover(s.secrets()).binary(),
          PgTools.discover(s.secrets()));
      for (ServerTargetConfig t : targets) {
        if (reset && Boolean.TRUE.equals(t.production())) {
          throw new UserError("target " + t.name() + " is production: not reset");
        }
        // TargetControl stops processes by this machine's pid files and deletes this machine's
        // directory root: for a target on another host (issue 17) that is the wrong machine,
        // and its root may be anything here. Nothing is touched unless the operator says this
        // is that host.
        if (t.host() != null && !here && all) {
          out.println(t.name() + ": on host " + t.host() + ", not this machine: skipped");
          continue;
        }
        if (t.host() != null && !here) {
          throw new UserError("target " + t.name() + " is on host " + t.host() + ": `target "
              + (reset ? "reset" : "stop") + "` acts on this machine's processes and files;"
              + " run it on " + t.host() + " with --here");
        }
        try {
          List<String> said = reset ? control.reset(t) : control.stop(t);
          out.println(t.name() + ": " + String.join("; ", said));
        } catch (IOException e) {
          throw new OperationFailed("target " + t.name() + ": " + e.getMessage());
        }
      }
      return 0;
    }
  }
}
