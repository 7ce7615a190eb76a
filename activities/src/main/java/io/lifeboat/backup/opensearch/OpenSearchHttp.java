package io.lifeboat.backup.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's REST API, as much of it as snapshots need (the same on Elasticsearch 7/8 and
 * OpenSearch 1/2). Every failure becomes one typed line: connection refused or a 5xx is
 * OPENSEARCH_UNAVAILABLE (retried), 401/403 OPENSEARCH_AUTH_FAILED, another 4xx
 * OPENSEARCH_REFUSED with the node's own reason.
 */
public final class OpenSearchHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final Secrets secrets;

  public OpenSearchHttp(Secrets secrets) {
    this.secrets = secrets;
  }

  /** A response: status and parsed body (null when empty or not JSON). */
  public record Response(int status, JsonNode body, String text) {}

  public JsonNode get(OpenSearchConfig o, String path) {
    return ok(o, "GET", path, call(o, "GET", path, null, Duration.ofMinutes(2)));
  }

  public JsonNode send(OpenSearchConfig o, String method, String path, Object body,
      Duration timeout) {
    return ok(o, method, path, call(o, method, path, body, timeout));
  }

  /** The raw call: any status comes back; only transport failures throw. */
  public Response call(OpenSearchConfig o, String method, String path, Object body,
      Duration timeout) {
    String where = "opensearch " + o.name() + " at " + o.url();
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(o.url() + path)).timeout(timeout);
    } catch (IllegalArgumentException e) {
      throw FailureKind.CONFIG_INVALID.failure(where + ": not a usable URL: " + e.getMessage());
    }
    if (o.usernameEnv() != null) {
      String user = secrets.require(o.usernameEnv(), "the user of opensearch " + o.name());
      String pw = secrets.require(o.passwordEnv(), "the password of opensearch " + o.name());
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + pw).getBytes(StandardCharsets.UTF_8)));
    }
    String payload = null;
    if (body != null) {
      try {
        payload = body instanceof String s ? s : JSON.writeValueAsString(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      b.header("Content-Type", "application/json");
    }
    b.method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(payload));
    HttpResponse<String> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      throw FailureKind.OPENSEARCH_UNAVAILABLE.failure(where + " did not answer " + method + " "
          + path + " in " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw FailureKind.OPENSEARCH_UNAVAILABLE.failure(where + " does not answer: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.OPENSEARCH_UNAVAILABLE.failure(where + ": interrupted");
    }
    JsonNode parsed = null;
    String text = r.body() == null ? "" : r.body();
    if (!text.isBlank()) {
      try {
        parsed = JSON.readTree(text);
      } catch (IOException e) {
        parsed = null;
      }
    }
    return new Response(r.statusCode(), parsed, text);
  }

  private static JsonNode ok(OpenSearchConfig o, String method, String path, Response r) {
    if (r.status() >= 200 && r.status() < 300) {
      return r.body() != null ? r.body() : JSON.createObjectNode();
    }
    throw failure(o, method, path, r);
  }

  /** The typed failure of a non-2xx answer. */
  public static ApplicationFailure failure(OpenSearchConfig o, String method, String path,
      Response r) {
    String where = "opensearch " + o.name() + " at " + o.url();
    String reason = reason(r);
    if (r.status() == 401 || r.status() == 403) {
      return FailureKind.OPENSEARCH_AUTH_FAILED.failure(where + " refused the user (" + r.status()
          + " on " + method + " " + path + "): " + reason);
    }
    if (r.status() >= 500 || r.status() == 429) {
      return FailureKind.OPENSEARCH_UNAVAILABLE.failure(where + " failed " + method + " " + path
          + " (" + r.status() + "): " + reason);
    }
    return FailureKind.OPENSEARCH_REFUSED.failure(where + " refused " + method + " " + path
        + " (" + r.status() + "): " + reason);
  }

  /** error.root_cause[0].reason, error.reason, or the start of the body. */
  static String reason(Response r) {
    JsonNode e = r.body() == null ? null : r.body().get("error");
    if (e != null && e.isObject()) {
      JsonNode rc = e.path("root_cause").path(0);
      String type = rc.path("type").asText(e.path("type").asText(""));
      String why = rc.path("reason").asText(e.path("reason").asText(""));
      return (type.isEmpty() ? "" : type + ": ") + why;
    }
    if (e != null && e.isTextual()) return e.asText();
    String t = r.text().replaceAll("\\s+", " ").strip();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  /** Documents per index of a pattern ({@code _cat/indices}, after a refresh). */
  public Map<String, Long> documents(OpenSearchConfig o, String pattern) {
    String p = encode(pattern);
    call(o, "POST", "/" + p + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null,
        Duration.ofMinutes(5));
    Map<String, Long> counts = new java.util.TreeMap<>();
    JsonNode rows = get(o, "/_cat/indices/" + p + "?format=json&h=index,status");
    for (JsonNode row : rows) {
      String index = row.path("index").asText();
      if (!"open".equals(row.path("status").asText("open"))) continue;
      JsonNode c = get(o, "/" + encode(index) + "/_count");
      counts.put(index, c.path("count").asLong());
    }
    return counts;
  }

  public static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("%2C", ",").replace("%2A", "*");
  }

  /** Waits until a restore's indices have every primary shard started (green or yellow). */
  public void awaitRestored(OpenSearchConfig o, java.util.Collection<String> indices,
      Runnable beat) {
    if (indices.isEmpty()) return;
    String list = encode(String.join(",", indices));
    long deadline = System.currentTimeMillis() + Duration.ofHours(12).toMillis();
    while (System.currentTimeMillis() < deadline) {
      Response r = call(o, "GET", "/_cluster/health/" + list
          + "?wait_for_status=yellow&timeout=30s", null, Duration.ofSeconds(60));
      if (r.status() == 200 && !r.body().path("timed_out").asBoolean(false)) {
        JsonNode rec = get(o, "/" + list + "/_recovery?active_only=true");
        if (rec.isEmpty()) return;
      }
      beat.run();
      sleep(500);
    }
    throw FailureKind.OPENSEARCH_UNAVAILABLE.failure("restore of " + indices + " on opensearch "
        + o.name() + " did not finish in 12 hours");
  }

  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.OPENSEARCH_UNAVAILABLE.failure("interrupted");
    }
  }
}
