package io.lifeboat.rollback;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The seed's `curl -f URL`: true for a 2xx answer, with one line saying what came back. */
final class HealthProbe {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(3))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private HealthProbe() {}

  record Answer(boolean ok, String line) {}

  static Answer probe(String url) {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
      int code = r.statusCode();
      return new Answer(code >= 200 && code < 300, code + " " + url);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Answer(false, "no answer from " + url + " (" + why + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(false, "interrupted probing " + url);
    }
  }
}
