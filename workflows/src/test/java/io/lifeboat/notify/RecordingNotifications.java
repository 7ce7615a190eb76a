package io.lifeboat.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.run.BackupNews;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A NotificationActivities that records each message, and what every backup message must say. */
public final class RecordingNotifications implements NotificationActivities {
  /** A webhook channel (its URL is never read: the activity is this recorder). */
  public static final NotificationTarget TARGET = NotificationTarget.of(new NotificationsConfig(
      new NotificationsConfig.Webhook("HOOK"), null), "http://localhost:8233", "default");

  public final List<Notification> sent = new CopyOnWriteArrayList<>();

  @Override
  public void deliver(Delivery delivery) {
    sent.add(delivery.notification());
  }

  public List<String> events() {
    return sent.stream().map(Notification::event).toList();
  }

  public Notification only(String event) {
    List<Notification> n = sent.stream().filter(x -> x.event().equals(event)).toList();
    assertEquals(1, n.size(), "one " + event + " in " + sent);
    return n.get(0);
  }

  /** started then finished, both naming kind, source and backup id; bytes and duration at the end. */
  public Notification assertStartedThenFinished(String kind, String source, String backupId) {
    return assertStartedThenFinished(kind, source, backupId, backupId);
  }

  /** As above, where the id is chosen after "started" (an application backup's names a commit). */
  public Notification assertStartedThenFinished(String kind, String source, String startedId,
      String backupId) {
    assertEquals(List.of(BackupNews.EVENT_STARTED, BackupNews.EVENT_FINISHED), events());
    for (Notification n : sent) {
      assertEquals(kind, n.details().get("Kind"), n.toString());
      assertEquals(source, n.details().get("Source"), n.toString());
      assertEquals(n == sent.get(0) ? startedId : backupId, n.details().get("Backup id"),
          n.toString());
      assertTrue(n.subject().contains(" of " + source), n.subject());
      assertTrue(n.link().startsWith("http://localhost:8233/namespaces/default/workflows/"),
          n.link());
    }
    Notification f = sent.get(1);
    assertTrue(f.subject().endsWith(" finished"), f.subject());
    assertNotNull(f.details().get("Stored bytes"), f.toString());
    assertNotNull(f.details().get("Duration"), f.toString());
    assertTrue(f.text().contains(backupId) && f.text().contains("stored"), f.text());
    return f;
  }

  /** started then failed (nothing else); the failure names the step, the kind and the cause. */
  public Notification assertStartedThenFailed(String kind, String source, String step,
      String failureType, String causePart) {
    assertEquals(List.of(BackupNews.EVENT_STARTED, BackupNews.EVENT_FAILED), events());
    Notification f = sent.get(1);
    assertEquals(kind, f.details().get("Kind"), f.toString());
    assertEquals(source, f.details().get("Source"), f.toString());
    assertTrue(f.subject().endsWith(" of " + source + " failed"), f.subject());
    assertEquals(step, f.details().get("Failed step"), f.toString());
    assertEquals(failureType, f.details().get("Failure kind"), f.toString());
    assertTrue(f.details().get("Cause").contains(causePart), f.toString());
    assertTrue(f.text().startsWith("step " + step + ": "), f.text());
    return f;
  }

  /** A recovery's run-started then run-finished, both naming kind, source and the backup. */
  public Notification assertRecoveryStartedThenFinished(String kind, String source,
      String backupId) {
    assertEquals(List.of(io.lifeboat.run.RunNews.EVENT_STARTED,
        io.lifeboat.run.RunNews.EVENT_FINISHED), events());
    for (Notification n : sent) {
      assertEquals(kind, n.details().get("Kind"), n.toString());
      assertEquals(source, n.details().get("Source"), n.toString());
      assertTrue(n.subject().contains(" of " + source), n.subject());
      assertTrue(n.link().startsWith("http://localhost:8233/namespaces/default/workflows/"),
          n.link());
    }
    Notification f = sent.get(1);
    assertTrue(f.subject().endsWith(" finished"), f.subject());
    assertEquals(backupId, f.details().get("Backup id"), f.toString());
    assertNotNull(f.details().get("Duration"), f.toString());
    assertTrue(f.text().contains(backupId), f.text());
    return f;
  }

  /** A recovery's run-started then failure; the failure names the step, the kind and the cause. */
  public Notification assertRecoveryStartedThenFailed(String kind, String source, String step,
      String failureType, String causePart) {
    assertEquals(List.of(io.lifeboat.run.RunNews.EVENT_STARTED,
        io.lifeboat.run.RunNews.EVENT_FAILED), events());
    Notification f = sent.get(1);
    assertEquals(kind, f.details().get("Kind"), f.toString());
    assertEquals(source, f.details().get("Source"), f.toString());
    assertTrue(f.subject().endsWith(" of " + source + " failed"), f.subject());
    assertEquals(step, f.details().get("Failed step"), f.toString());
    assertEquals(failureType, f.details().get("Failure kind"), f.toString());
    assertTrue(f.details().get("Cause").contains(causePart), f.toString());
    assertTrue(f.text().startsWith("step " + step + ": "), f.text());
    return f;
  }
}
