package io.lifeboat.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.notify.Notification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Posts {@code {"text": ...}} as JSON: the body Slack's incoming webhooks accept, and Mattermost,
 * Rocket.Chat and most chat bridges too.
 */
final class WebhookSender {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  void send(String url, Notification n) throws NotificationActivitiesImpl.NotifyException {
    URI uri;
    try {
      uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("not http(s)");
      }
    } catch (IllegalArgumentException e) {
      // Never echo the URL: it holds the webhook's token.
      throw new NotificationActivitiesImpl.NotifyException("the webhook URL is not an http(s)"
          + " URL", true, null);
    }
    String text = "*" + Render.subject(n) + "*\n" + Render.body(n);
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("text", text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new NotificationActivitiesImpl.NotifyException("webhook at " + uri.getHost()
          + " unreachable: " + e.getClass().getSimpleName(), false, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationActivitiesImpl.NotifyException("interrupted", false, null);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      // 4xx: the hook was revoked or the URL is wrong, retrying will not help; 5xx/429 may pass.
      boolean permanent = status / 100 == 4 && status != 429 && status != 408;
      throw new NotificationActivitiesImpl.NotifyException("webhook at " + uri.getHost()
          + " answered HTTP " + status, permanent, null);
    }
  }
}
