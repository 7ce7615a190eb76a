package io.lifeboat.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.process.Pm2;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.recover.server.TargetControl;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.drill.DrillActivities;
import io.lifeboat.drill.DrillTargets;
import io.lifeboat.run.RunReport;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A drill's scratch application under PM2, and the read-back of its report. */
public final class DrillActivitiesImpl implements DrillActivities {
  static final String ECOSYSTEM = "ecosystem.drill.config.js";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreFactory stores;
  private final Pm2 pm2;
  private final TargetControl targets;

  public DrillActivitiesImpl(StoreFactory stores, Pm2 pm2, TargetControl targets) {
    this.stores = stores;
    this.pm2 = pm2;
    this.targets = targets;
  }

  public static DrillActivitiesImpl create(StoreFactory stores, Secrets secrets) {
    Pm2 pm2 = Pm2.discover(secrets);
    return new DrillActivitiesImpl(stores, pm2,
        new TargetControl(pm2.binary(), PgTools.discover(secrets)));
  }

  @Override
  public String resetServerTarget(ServerTargetConfig target) {
    // The workflow refused a production target already; this is the last line of defence
    // before a directory tree is removed.
    if (Boolean.TRUE.equals(target.production())) {
      throw FailureKind.DRILL_TARGET_IS_PRODUCTION.failure("server target " + target.name()
          + " is production: not reset");
    }
    Activity.getExecutionContext().heartbeat(target.name());
    try {
      return String.join("; ", targets.reset(target));
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot reset server target " + target.name() + ": "
          + e.getMessage());
    }
  }

  @Override
  public ApplicationConfig prepareScratchApp(ScratchAppRequest req) {
    Path root = Path.of(req.root());
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot create the drill directory " + root + ": "
          + e.getMessage());
    }
    return scratch(req);
  }

  /** The production entry, moved onto the scratch root, name and port. */
  static ApplicationConfig scratch(ScratchAppRequest req) {
    ApplicationConfig p = req.production();
    return new ApplicationConfig(p.name(), req.root(), req.pm2Name(),
        Path.of(req.root(), ECOSYSTEM).toString(), p.pm2Home(),
        DrillTargets.onPort(p.healthUrl(), req.port()),
        p.criticalEndpoints().stream().map(u -> DrillTargets.onPort(u, req.port())).toList(),
        p.excludes(), p.backupSchedule(), p.keep());
  }

  @Override
  public String startScratchApp(ScratchAppRequest req) {
    ApplicationConfig app = scratch(req);
    Path current = Path.of(req.root(), "current");
    String script = script(current);
    String host = java.net.URI.create(app.healthUrl()).getHost();
    try {
      // Values quoted as JSON strings: valid JavaScript, no path or name can break out.
      Files.writeString(Path.of(app.ecosystemFile()), "// written by a lifeboat drill; removed with it\n"
          + "module.exports = { apps: [{ name: " + q(req.pm2Name()) + ", cwd: " + q(current.toString())
          + ", script: " + q(script) + ", env: { NODE_ENV: 'production', HOST: " + q(host)
          + ", PORT: " + q(String.valueOf(req.port())) + " }, autorestart: false }] };\n");
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot write " + app.ecosystemFile() + ": " + e.getMessage());
    }
    return pm2.start(app, beat());
  }

  @Override
  public String removeScratchApp(ScratchAppRequest req) {
    ApplicationConfig app = scratch(req);
    String stopped = pm2.delete(app, beat());
    Path root = Path.of(req.root());
    try {
      deleteTree(root);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot remove the drill directory " + root + ": "
          + e.getMessage());
    }
    return stopped + "; removed " + root;
  }

  @Override
  public ReportCheck checkReport(CheckReportRequest req) {
    var s = req.stored();
    try {
      ObjectStore store = stores.forRepository(req.repository());
      for (String key : List.of(s.jsonKey(), s.markdownKey(), s.htmlKey())) {
        if (store.head(key).isEmpty()) {
          return new ReportCheck(false, key + " is missing from the repository");
        }
      }
      RunReport read;
      try (InputStream in = store.get(s.jsonKey())) {
        read = JSON.readValue(in, RunReport.class);
      }
      String dir = s.jsonKey().substring(0, s.jsonKey().lastIndexOf('/') + 1);
      return new ReportCheck(true, "report.json (" + read.steps().size() + " steps), report.md"
          + " and report.html stored under " + dir + " and read back");
    } catch (StorageException e) {
      throw e.kind().failure(e.getMessage());
    } catch (IOException e) {
      return new ReportCheck(false, s.jsonKey() + " does not parse: " + e.getMessage());
    }
  }

  /** package.json's main, else server.js / index.js, as npm start would run it. */
  static String script(Path current) {
    try {
      Path pkg = current.resolve("package.json");
      if (Files.isRegularFile(pkg)) {
        JsonNode main = JSON.readTree(Files.readString(pkg, StandardCharsets.UTF_8)).path("main");
        if (main.isTextual() && !main.asText().isBlank()) return main.asText();
      }
    } catch (IOException e) {
      // fall through to the usual names
    }
    for (String name : List.of("server.js", "index.js", "app.js")) {
      if (Files.isRegularFile(current.resolve(name))) return name;
    }
    throw FailureKind.APP_RELEASE_MISSING.failure("the restored release in " + current
        + " has no package.json main, server.js or index.js to start");
  }

  private static String q(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Runnable beat() {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    return () -> ctx.heartbeat(null);
  }
}
