package io.lifeboat.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.notify.Delivery;
import io.lifeboat.notify.Notification;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both channels against real servers: a JDK HTTP server as the webhook, GreenMail as SMTP. */
class NotificationActivitiesImplTest {
  private HttpServer http;
  private GreenMail smtp;
  private final List<String> posted = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  private static final Notification FAILURE = new Notification(Notification.EVENT_FAILURE,
      "backup of farmtally_production failed", "step assess: PostgreSQL refused user lifeboat",
      Map.of("failure type", "Lifeboat.PG_AUTH_FAILED", "backup id", "20261121T020000Z"),
      "http://localhost:8233/namespaces/default/workflows/backup-db-farmtally_production");

  @BeforeEach
  void setUp() throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/hooks/T000/B000", exchange -> {
      posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    http.start();
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  @AfterEach
  void tearDown() {
    http.stop(0);
    smtp.stop();
  }

  private String hookUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/hooks/T000/B000";
  }

  private NotificationsConfig.Email email(String... to) {
    return new NotificationsConfig.Email("127.0.0.1", smtp.getSmtp().getPort(),
        "lifeboat@farmtally.test", List.of(to), null, null, false);
  }

  @Test
  void webhookGetsSlackCompatibleJson() throws Exception {
    var impl = new NotificationActivitiesImpl(new Secrets(Map.of("HOOK", hookUrl())));
    impl.deliver(new Delivery(Delivery.CHANNEL_WEBHOOK,
        new NotificationsConfig(new NotificationsConfig.Webhook("HOOK"), null), FAILURE));

    assertEquals(1, posted.size());
    assertTrue(contentTypes.get(0).startsWith("application/json"), contentTypes.get(0));
    JsonNode body = new ObjectMapper().readTree(posted.get(0));
    assertEquals(1, body.size(), "only the text field: " + body);
    String text = body.get("text").asText();
    assertTrue(text.startsWith("*[lifeboat] backup of farmtally_production failed*\n"), text);
    assertTrue(text.contains("step assess: PostgreSQL refused user lifeboat"), text);
    assertTrue(text.contains("- failure type: Lifeboat.PG_AUTH_FAILED"), text);
    assertTrue(text.contains(FAILURE.link()), text);
  }

  @Test
  void webhookServerErrorIsRetryableAndRejectionIsNotAndTheUrlIsNeverEchoed() {
    var impl = new NotificationActivitiesImpl(new Secrets(Map.of("HOOK", hookUrl())));
    var delivery = new Delivery(Delivery.CHANNEL_WEBHOOK,
        new NotificationsConfig(new NotificationsConfig.Webhook("HOOK"), null), FAILURE);
    status.set(503);
    ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> impl.deliver(delivery));
    assertEquals(FailureKind.NOTIFY_FAILED.type(), e.getType());
    assertFalse(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains("HTTP 503"), e.getOriginalMessage());
    assertFalse(e.getOriginalMessage().contains("T000"), "the token stays secret");

    status.set(404);
    e = assertThrows(ApplicationFailure.class, () -> impl.deliver(delivery));
    assertEquals(FailureKind.NOTIFY_MISCONFIGURED.type(), e.getType());
    assertTrue(e.isNonRetryable());
  }

  @Test
  void missingUrlVariableIsAMisconfiguration() {
    var impl = new NotificationActivitiesImpl(new Secrets(Map.of()));
    ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> impl.deliver(
        new Delivery(Delivery.CHANNEL_WEBHOOK,
            new NotificationsConfig(new NotificationsConfig.Webhook("HOOK"), null), FAILURE)));
    assertEquals(FailureKind.NOTIFY_MISCONFIGURED.type(), e.getType());
    assertTrue(e.getOriginalMessage().contains("HOOK"), e.getOriginalMessage());
  }

  @Test
  void emailArrivesAtEveryRecipientOverSmtp() throws Exception {
    var impl = new NotificationActivitiesImpl(new Secrets(Map.of()));
    impl.deliver(new Delivery(Delivery.CHANNEL_EMAIL, new NotificationsConfig(null,
        email("ops@farmtally.test", "lead@farmtally.test")), FAILURE));

    assertTrue(smtp.waitForIncomingEmail(10_000, 2));
    MimeMessage[] received = smtp.getReceivedMessages();
    assertEquals(2, received.length);
    MimeMessage m = received[0];
    assertEquals("[lifeboat] backup of farmtally_production failed", m.getSubject());
    assertEquals("lifeboat@farmtally.test", m.getFrom()[0].toString());
    assertEquals("failure", m.getHeader("X-Lifeboat-Event")[0]);
    String body = GreenMailUtil.getBody(m);
    assertTrue(body.contains("step assess: PostgreSQL refused user lifeboat"), body);
    assertTrue(body.contains(FAILURE.link()), body);
  }

  @Test
  void authenticatedEmailUsesTheNamedVariables() throws Exception {
    smtp.setUser("lifeboat", "s3cret");
    var config = new NotificationsConfig.Email("127.0.0.1", smtp.getSmtp().getPort(),
        "lifeboat@farmtally.test", List.of("ops@farmtally.test"), "SMTP_USER", "SMTP_PASS", false);
    var impl = new NotificationActivitiesImpl(new Secrets(
        Map.of("SMTP_USER", "lifeboat", "SMTP_PASS", "s3cret")));
    impl.deliver(new Delivery(Delivery.CHANNEL_EMAIL, new NotificationsConfig(null, config),
        FAILURE));
    assertTrue(smtp.waitForIncomingEmail(10_000, 1));
  }

  @Test
  void unreachableSmtpIsRetryable() {
    int port = smtp.getSmtp().getPort();
    smtp.stop();
    var impl = new NotificationActivitiesImpl(new Secrets(Map.of()));
    var config = new NotificationsConfig.Email("127.0.0.1", port, "lifeboat@farmtally.test",
        List.of("ops@farmtally.test"), null, null, false);
    ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> impl.deliver(
        new Delivery(Delivery.CHANNEL_EMAIL, new NotificationsConfig(null, config), FAILURE)));
    assertEquals(FailureKind.NOTIFY_FAILED.type(), e.getType());
    assertFalse(e.isNonRetryable());
  }
}
