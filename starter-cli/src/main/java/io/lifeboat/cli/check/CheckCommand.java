package io.lifeboat.cli.check;

import io.lifeboat.check.CheckReport;
import io.lifeboat.check.CheckRequest;
import io.lifeboat.check.CheckSource;
import io.lifeboat.check.RepositoryCheckWorkflow;
import io.lifeboat.check.RepositoryChecker;
import io.lifeboat.check.SourceCheck;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.config.LifeboatConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Reads the repository directly, like {@code backups list}: a check must work when Temporal or
 * the worker is the thing that broke. The scheduled RepositoryCheckWorkflow runs the same code.
 */
@Command(name = "check", description = "Check the repository: the newest backup of each source"
    + " (database dumps, base backups, applications, configuration, Redis, MariaDB, OpenSearch,"
    + " files) is fresh, retention keeps the"
    + " required daily, weekly and monthly dumps, and no scheduled drill cadence is overdue."
    + " Exit 1 when a check fails.")
public final class CheckCommand implements Callable<Integer> {
  @ParentCommand LifeboatCli root;
  @Mixin ConfigOption configOption;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Option(names = "--database", paramLabel = "NAME",
      description = "only this database (its dumps and base backups)")
  String database;

  @Option(names = "--kind", paramLabel = "KIND",
      description = "only this kind: db-full, db-base, app, config, redis, mariadb, opensearch,"
          + " files or drill (a kind the config does not name is skipped)")
  String kind;

  static final List<String> KINDS = List.of("db-full", "db-base", "app", "config", "redis",
      "mariadb", "opensearch", "files", "drill");

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      if (kind != null && !KINDS.contains(kind)) {
        throw new io.lifeboat.cli.UserError("unknown kind '" + kind + "' (one of "
            + String.join(", ", KINDS) + ")");
      }
      if (database != null) s.database(database); // an unknown one is bad input
      List<CheckSource> sources = RepositoryCheckWorkflow.sources(c).stream()
          .filter(x -> database == null || (x.name().equals(database)
              && (x.kind().equals("db-full") || x.kind().equals("db-base"))))
          .filter(x -> kind == null || x.kind().equals(kind)).toList();
      CheckRequest request = new CheckRequest(sources, c.repository(),
          c.checks(), c.schedules().timezone(), System.currentTimeMillis(), false);
      CheckReport report;
      try {
        report = new RepositoryChecker().check(s.repository(), request);
      } catch (io.temporal.failure.ApplicationFailure e) {
        throw new OperationFailed("check failed: " + e.getOriginalMessage());
      }
      if (json) {
        out.println(Json.write(kind != null && sources.isEmpty()
            ? Map.of("passed", true, "sources", List.of(), "skipped", kind)
            : Map.of("passed", report.passed(), "sources", report.sources())));
      } else if (kind != null && sources.isEmpty()) {
        out.println("skipped: the config names no " + kind + " source"
            + (database != null ? " for database " + database : ""));
      } else {
        for (SourceCheck sc : report.sources()) {
          out.printf("%-4s %-28s %-10s %3d backups, newest %s%s%n", sc.passed() ? "ok" : "FAIL",
              sc.source(), sc.kind(), sc.backups(), sc.newestBackupId() == null ? "none"
                  : sc.newestBackupId() + " (" + age(sc.newestAgeSeconds()) + " ago)",
              sc.newestBytes() >= 0 ? ", " + io.lifeboat.cli.Bytes.human(sc.newestBytes()) : "");
          for (String p : sc.problems()) out.println("     " + p);
        }
        out.println(report.passed() ? "all checks pass" : "checks FAILED: "
            + report.problems().size() + " problem(s)");
      }
      return report.passed() ? 0 : ExitCodes.FAILED;
    }
  }

  private static String age(long seconds) {
    return seconds < 3600 ? (seconds / 60) + "m" : String.format("%.1fh", seconds / 3600.0);
  }
}
