package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.s3.FakeS3Server;
import io.lifeboat.storage.s3.S3ObjectStore;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rule both base backup stream formats share, now written once in {@link BaseUpload}: the
 * stored object is completed only after the verification passed (and the upload's tail is
 * done); a backup that fails verification is never a finished object and leaves no parts.
 * Against an S3 in this process, without the stack.
 */
class BaseUploadTest {
  private static final String KEY = "p/db/d/base/20261205T010000Z/base.tar.zst";

  private final FakeS3Server s3;
  private final S3ObjectStore store;
  private final List<BaseStreamProgress> beats = new CopyOnWriteArrayList<>();
  private final ActivityExecutionContext ctx = (ActivityExecutionContext) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {ActivityExecutionContext.class},
      (proxy, method, args) -> {
        if (method.getName().equals("heartbeat")) beats.add((BaseStreamProgress) args[0]);
        return null;
      });
  private final ExecutorService tailThread = HelperThreads.daemons(1, "test-tail");

  BaseUploadTest() throws Exception {
    s3 = new FakeS3Server("b");
    store = new S3ObjectStore(new RepositoryConfig(s3.endpoint(), "b", "p", null, true, "AK",
        "SK", null, null, null, null, null),
        new Secrets(Map.of("AK", FakeS3Server.ACCESS_KEY, "SK", FakeS3Server.SECRET_KEY)));
  }

  @AfterEach
  void stop() {
    tailThread.shutdownNow();
    store.close();
    s3.close();
  }

  private static final BaseBackupVerification.Facts FACTS = new BaseBackupVerification.Facts(
      "0/2000028", "0/2000100", 1, "000000010000000000000002", "000000010000000000000002",
      16 << 20, "17", "7412345678901234567", "pg_verifybackup passed");

  private BaseUpload streamed(byte[] data) throws Exception {
    BaseUpload upload = new BaseUpload(store, new RepositoryConfig(s3.endpoint(), "b", "p", null,
        true, "AK", "SK", null, null, null, null, null), KEY, ctx);
    upload.sink.write(data);
    upload.raw.addAndGet(data.length);
    return upload;
  }

  private Future<List<String>> tail(BaseUpload upload) {
    return tailThread.submit(upload.sink::finish);
  }

  /** Pins the pass: verified, then completed; the heartbeat went from streaming to verifying. */
  @Test
  void aVerifiedBackupIsCompleted() throws Exception {
    byte[] data = "zstd frames of a base backup".getBytes(StandardCharsets.UTF_8);
    BaseUpload upload = streamed(data);
    assertEquals(List.of(KEY), List.copyOf(s3.pendingUploads().keySet()));

    BaseUpload.Verified done = upload.completeAfter(() -> FACTS, tail(upload));

    assertSame(FACTS, done.facts());
    assertTrue(done.uploadedAt() >= done.verifiedAt());
    assertTrue(upload.completed());
    assertArrayEquals(data, s3.objects.get(KEY).body());
    assertTrue(s3.pendingUploads().isEmpty());
    assertEquals("streaming", beats.get(0).phase());
    assertEquals("verifying", beats.get(beats.size() - 1).phase());
    assertEquals(data.length, beats.get(beats.size() - 1).rawBytes());
    upload.abortUnlessCompleted();   // after completion: nothing to abort
    assertTrue(s3.objects.containsKey(KEY));
  }

  /** Pins the failure: the verification's failure stands, no object, no parts left. */
  @Test
  void aBackupThatFailsVerificationIsNeverAFinishedObject() throws Exception {
    BaseUpload upload = streamed("a damaged copy".getBytes(StandardCharsets.UTF_8));
    Future<List<String>> tail = tail(upload);

    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> upload.completeAfter(
        () -> {
          throw FailureKind.BASE_VERIFY_FAILED.failure("pg_verifybackup rejects it");
        }, tail));
    assertEquals(FailureKind.BASE_VERIFY_FAILED.type(), f.getType());
    assertFalse(upload.completed());
    upload.abortUnlessCompleted();

    assertFalse(s3.objects.containsKey(KEY));
    assertTrue(s3.pendingUploads().isEmpty(), "the parts are aborted");
  }
}
