package io.lifeboat.cli.drill;

import io.lifeboat.approval.WaitingStep;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.AppWait;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.drill.DrillProgress;
import io.lifeboat.drill.DrillRequest;
import io.lifeboat.drill.DrillResult;
import io.lifeboat.drill.DrillScenarios;
import io.lifeboat.drill.DrillWorkflow;
import io.lifeboat.drill.ScenarioResult;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.run.RunReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "drill", description = "DR drills: restore tests into isolated targets, approved"
    + " step by step by the drill lead.",
    subcommands = {DrillCommand.Start.class, DrillCommand.ListDrills.class,
        DrillStatsCommand.class})
public final class DrillCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "start", description = "Start a drill: monthly (database + application restore"
      + " test) or quarterly (Q1 database, Q2 application, Q3 full system, Q4 all).")
  static final class Start implements Callable<Integer> {
    @ParentCommand DrillCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "KIND", description = "monthly or quarterly")
    String kind;

    @Option(names = "--scenario", paramLabel = "NAME",
        description = "database, application, full-system, mariadb, redis, opensearch, files"
            + " or all (instead of the calendar; all adds the engines the config has sources of)")
    String scenario;

    @Option(names = "--scratch-database", paramLabel = "NAME",
        description = "restore into this database (default: lifeboat_drill_DB_RUN)")
    String scratchDatabase;

    @Option(names = "--app-dir", paramLabel = "DIR",
        description = "restore the application under this directory (default: RELEASEROOT-drill)")
    Path appDir;

    @Option(names = "--app-name", paramLabel = "NAME",
        description = "PM2 name of the restored copy (default: PM2NAME-drill)")
    String appName;

    @Option(names = "--app-port", paramLabel = "PORT", description = "its port (default 3390)")
    Integer appPort;

    @Mixin LaunchOptions launchOptions;

    @Override
    public Integer call() {
      if (!DrillScenarios.KINDS.contains(kind)) {
        throw new UserError("a drill is monthly or quarterly, not '" + kind + "'");
      }
      if (scenario != null && !DrillScenarios.NAMES.contains(scenario)) {
        throw new UserError("unknown scenario '" + scenario + "': one of "
            + String.join(", ", DrillScenarios.NAMES));
      }
      if (scratchDatabase != null && !scratchDatabase.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
        throw new UserError("--scratch-database takes a database name (letters, digits, _), not '"
            + scratchDatabase + "'");
      }
      if (appName != null && !appName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        throw new UserError("--app-name takes a PM2 name (letters, digits, . _ -), not '"
            + appName + "'");
      }
      if (appPort != null && (appPort < 1 || appPort > 65535)) {
        throw new UserError("--app-port must be between 1 and 65535");
      }
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        DrillRequest request = DrillWorkflow.request(c, kind, scenario, c.drills().withTarget(
            scratchDatabase, appDir == null ? null : appDir.toAbsolutePath().normalize().toString(),
            appName, appPort));
        DrillPlans.refuseProduction(request);
        WorkflowClient client = s.temporal().client();
        WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
            DrillPlans.workflowId(c, kind, Instant.now()));
        String id = launch.workflowId();
        DrillWorkflow wf = client.newWorkflowStub(DrillWorkflow.class,
            launch.options(AppPlans.options(c, id, LifeboatSearchAttributes.KIND_DRILL, null)));
        return launch
            .start(() -> WorkflowClient.start(wf::drill, request),
                "drill " + id + " is already running")
            .startedLine("started drill " + kind + ": " + id + "\n  " + launch.link()
                + "\n  the drill lead approves each step: lifeboat approve " + id
                + " STEP --by NAME (lifeboat waiting lists them)")
            .followingLine("drill " + kind + " started: " + id + " (" + launch.link() + ")")
            .followAndPrint(show -> AppWait.await(client, id, DrillResult.class, out, show, "drill",
                stub -> progressLine(client, id, stub.query("progress", DrillProgress.class))),
                (r, link) -> print(out, id, r));
      }
    }

    /** The drill's step, or the approval it waits for (its own, or its server recovery's). */
    private static String progressLine(WorkflowClient client, String id, DrillProgress p) {
      if (p.waiting().isEmpty() && p.childWorkflowId() != null) {
        // The full-system scenario: its server recovery's human steps (provision, dns)
        // are approved on the recovery's own id, as in a real server loss.
        WaitingStep[] child = client.newUntypedWorkflowStub(p.childWorkflowId())
            .query(io.lifeboat.approval.Approvable.QUERY_WAITING, WaitingStep[].class);
        if (child.length > 0) {
          return "waiting for approval: lifeboat approve " + p.childWorkflowId() + " "
              + child[0].step() + " --by NAME" + (child[0].valueRequired()
                  ? " --value VALUE" : "") + " (" + child[0].prompt() + ")";
        }
      }
      if (p.waiting().isEmpty()) return p.step();
      WaitingStep w = p.waiting().get(0);
      return "waiting for approval: lifeboat approve " + id + " " + w.step() + " --by NAME"
          + " (" + w.prompt() + ")";
    }

    private static void print(PrintWriter out, String id, DrillResult r) {
      out.println();
      out.println("drill " + r.kind() + " (Q" + r.quarter() + ") " + r.outcome() + ": "
          + String.join(", ", r.scenarios()));
      for (ScenarioResult s : r.results()) {
        out.printf("  %-12s %-11s %s%n", s.scenario(), s.outcome(), s.message());
      }
      for (RunReport.Criterion c : r.criteria()) {
        out.printf("  %-30s %-7s %s%n", c.name(), c.met() ? "met" : "NOT met", c.detail());
      }
      if (r.reportKey() != null) out.println("  report: lifeboat report " + id + " --html FILE");
    }
  }

  @Command(name = "list", description = "Drills, newest first, with their outcome.")
  static final class ListDrills implements Callable<Integer> {
    @ParentCommand DrillCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (WorkflowExecutionMetadata m : s.temporal().client().listExecutions(
            LifeboatSearchAttributes.KIND.getName() + " = '" + LifeboatSearchAttributes.KIND_DRILL
                + "'").limit(50).toList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("workflowId", m.getExecution().getWorkflowId());
          row.put("status", m.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "")
              .toLowerCase());
          row.put("started", m.getStartTime().toString());
          String waiting = m.getTypedSearchAttributes().get(LifeboatSearchAttributes.WAITING_STEP);
          if (waiting != null) row.put("waiting", waiting);
          rows.add(row);
        }
        if (json) {
          out.println(Json.write(rows));
        } else if (rows.isEmpty()) {
          out.println("no drills yet: lifeboat drill start monthly|quarterly");
        } else {
          for (var r : rows) {
            out.printf("%-52s %-10s %s%s%n", r.get("workflowId"), r.get("status"), r.get("started"),
                r.containsKey("waiting") ? "  waiting: " + r.get("waiting") : "");
          }
        }
        return 0;
      }
    }
  }
}
