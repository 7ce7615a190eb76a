package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig.ApplicationConfig;
import io.lifeboat.process.Tools;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The application in front of the database, as the runbook handles it: {@code pm2 stop NAME}
 * before the restore, {@code pm2 start NAME} after, then its health URL. Without a configured
 * application every call is a no-op that says so.
 */
final class ApplicationControl {
  private static final java.util.function.Supplier<String> PM2 = () ->
      io.lifeboat.process.Pm2.discover(io.lifeboat.config.Secrets.fromEnvironment()).binary();

  String stop(ApplicationConfig app) {
    return pm2(app, "stop");
  }

  String start(ApplicationConfig app) {
    return pm2(app, "start");
  }

  private String pm2(ApplicationConfig app, String verb) {
    if (app == null || app.pm2Name() == null) {
      return "no application configured; nothing to " + verb;
    }
    Map<String, String> env = new HashMap<>();
    if (app.pm2Home() != null) env.put("PM2_HOME", app.pm2Home());
    try {
      // The pm2 the rollback uses (LIFEBOAT_PM2_BIN, the launcher's copy, else PATH): a bare
      // "pm2" failed on a worker whose PATH does not hold it, which only fakes had hidden.
      Tools.Result r = Tools.run(List.of(PM2.get(), verb, app.pm2Name()), env,
          Duration.ofMinutes(2), null);
      if (r.exit() != 0) {
        throw FailureKind.APPLICATION_FAILED.failure("pm2 " + verb + " " + app.pm2Name()
            + " failed (exit " + r.exit() + "): " + ClusterControl.lastLine(r.stderr()));
      }
      return "pm2 " + verb + " " + app.pm2Name() + ": ok";
    } catch (IOException e) {
      throw FailureKind.APPLICATION_FAILED.failure("cannot run pm2 for " + app.pm2Name() + ": "
          + e.getMessage());
    }
  }

  /** GET the health URL; 2xx and 3xx are healthy. Empty when no URL is configured. */
  String health(ApplicationConfig app) {
    if (app == null || app.healthUrl() == null) return "";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(app.healthUrl()))
          .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() >= 400) {
        throw FailureKind.APPLICATION_FAILED.failure(app.healthUrl() + " answered "
            + r.statusCode());
      }
      return app.healthUrl() + " answered " + r.statusCode();
    } catch (IOException e) {
      throw FailureKind.APPLICATION_FAILED.failure(app.healthUrl() + " does not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.APPLICATION_FAILED.failure("interrupted");
    }
  }
}
