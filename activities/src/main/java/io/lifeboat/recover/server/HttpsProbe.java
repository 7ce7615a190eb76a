package io.lifeboat.recover.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.process.Commands;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.server.HttpsCheck;
import io.lifeboat.recover.server.HttpsCheckRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runbook's final {@code curl -f https://farmtally.com/api/health}, through the target's
 * nginx: curl resolves the domain to the target's address itself (--resolve), so the check
 * does not depend on the worker's DNS, and it trusts only the CA's root (fetched from
 * acme.rootUrl; pebble makes a new root on each start), so a certificate that does not chain
 * to it fails the check.
 */
final class HttpsProbe {
  static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpsProbe() {}

  static HttpsCheck check(HttpsCheckRequest req, ToolRunner tools, Runnable tick) {
    ServerTargetConfig t = req.target();
    Path rootFile = trustedRoot(t, tools);
    try {
      return check(req, rootFile == null ? null : rootFile.toString(), tools, tick);
    } finally {
      if (rootFile != null) deleteQuietly(rootFile);
    }
  }

  private static HttpsCheck check(HttpsCheckRequest req, String root, ToolRunner tools,
      Runnable tick) {
    ServerTargetConfig t = req.target();
    List<String> lines = new ArrayList<>();
    String healthUrl = t.url() + req.healthPath();
    long deadline = System.nanoTime() + WAIT.toNanos();
    Answer health;
    while (true) {
      health = get(t, root, healthUrl, tools);
      tick.run();
      if (health.status == 200 || System.nanoTime() > deadline) break;
      Nginx.sleep(1000);
    }
    lines.add(health.line(healthUrl));
    if (health.status != 200) {
      throw FailureKind.HTTPS_UNHEALTHY.failure(health.line(healthUrl));
    }
    String data = null;
    if (req.dataPath() != null) {
      String dataUrl = t.url() + req.dataPath();
      Answer a = get(t, root, dataUrl, tools);
      lines.add(a.line(dataUrl));
      if (a.status != 200) throw FailureKind.HTTPS_UNHEALTHY.failure(a.line(dataUrl));
      data = dataLine(a.body);
      if (data == null) {
        throw FailureKind.HTTPS_UNHEALTHY.failure(dataUrl + " served no restored rows: "
            + ToolRunner.clip(a.body.strip()));
      }
    }
    return new HttpsCheck(true, lines, data);
  }

  /** "users=2000 tallies=100000" when every count is a number and users are there. */
  static String dataLine(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (!n.path("users").canConvertToLong() || n.path("users").asLong() < 1) return null;
      StringBuilder sb = new StringBuilder();
      n.fields().forEachRemaining(e -> {
        if (e.getValue().isNumber()) sb.append(sb.length() == 0 ? "" : " ")
            .append(e.getKey()).append('=').append(e.getValue().asText());
      });
      return sb.toString();
    } catch (IOException e) {
      return null;
    }
  }

  record Answer(int status, String body, String error) {
    String line(String url) {
      return status > 0 ? status + " " + url : "no answer from " + url + " (" + error + ")";
    }
  }

  private static Answer get(ServerTargetConfig t, String root, String url, ToolRunner tools) {
    List<String> argv = new ArrayList<>(List.of("curl", "-sS", "-m", "10", "--resolve",
        t.domain() + ":" + t.httpsPort() + ":" + t.address(), "-w", "\n%{http_code}"));
    if (root != null) argv.addAll(List.of("--cacert", root));
    argv.add(url);
    var r = tools.run(FailureKind.HTTPS_UNHEALTHY, argv, null, Map.of(), Duration.ofSeconds(30));
    String out = r.stdout();
    int nl = out.lastIndexOf('\n');
    int code;
    try {
      code = Integer.parseInt(out.substring(nl + 1).strip());
    } catch (NumberFormatException e) {
      code = 0;
    }
    return new Answer(r.exit() == 0 ? code : 0, nl < 0 ? "" : out.substring(0, nl),
        Commands.lastLine(r.stderr()));
  }

  /**
   * The CA's root in a temporary file of the worker running the check, or null to trust the
   * system's roots. Not under the target's root: the check runs on the control worker, which is
   * not the target's machine (issue 17: the target's directories do not exist here).
   */
  private static Path trustedRoot(ServerTargetConfig t, ToolRunner tools) {
    if (t.acme().rootUrl() == null) return null;
    Path file;
    try {
      file = Files.createTempFile("lifeboat-acme-root-", ".pem");
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot make a temporary file for the CA root: "
          + e.getMessage());
    }
    try {
      List<String> argv = new ArrayList<>(List.of("curl", "-fsS", "-m", "10", "-o",
          file.toString()));
      if (t.acme().caBundle() != null) argv.addAll(List.of("--cacert", t.acme().caBundle()));
      argv.add(t.acme().rootUrl());
      tools.check(FailureKind.HTTPS_UNHEALTHY, argv, null, Map.of(), Duration.ofSeconds(30),
          "fetching the CA root from " + t.acme().rootUrl());
      if (!Files.readString(file).contains("BEGIN CERTIFICATE")) {
        throw FailureKind.HTTPS_UNHEALTHY.failure(t.acme().rootUrl() + " served no certificate");
      }
      return file;
    } catch (IOException e) {
      deleteQuietly(file);
      throw FailureKind.LOCAL_IO.failure("cannot read " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file of this worker's; the OS cleans its tmp
    }
  }
}
