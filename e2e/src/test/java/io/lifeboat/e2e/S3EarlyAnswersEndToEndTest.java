package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.s3.S3ObjectStore;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Writes the stack's real S3 server (s3proxy, Jetty) refuses on their headers: a bucket that
 * does not exist, refused credentials, an If-None-Match on a key that is there. s3proxy answers
 * those at once (after a 100 Continue) and closes the connection; the body here (8 MiB) is too
 * large to sit in the socket's buffers meanwhile, so the HTTP client fails writing it and the
 * answer is lost. Each must still come back as what it is, every time: before the store asked
 * the bucket again, it reported "S3 is not answering (Error writing request body to server)"
 * (S3_UNAVAILABLE, retried for ever) or the real answer, by a race.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class S3EarlyAnswersEndToEndTest {
  private static final byte[] BODY = new byte[8 << 20];

  static {
    new Random(21).nextBytes(BODY);
  }

  private static S3ObjectStore store(RealStack stack, String bucket, Map<String, String> env) {
    RepositoryConfig r = stack.base.repository();
    return new S3ObjectStore(new RepositoryConfig(r.endpoint(), bucket, r.prefix(), r.region(),
        r.pathStyle(), r.accessKeyEnv(), r.secretKeyEnv(), null, null, null, null, null, null),
        new Secrets(env));
  }

  @Test
  void aPutThatS3RefusesBeforeTheBodyIsNamedForWhatItIs() throws Exception {
    try (RealStack stack = new RealStack()) {
      refusedWritesAreNamed(stack);
    }
  }

  private static void refusedWritesAreNamed(RealStack stack) throws Exception {
    RepositoryConfig r = stack.base.repository();
    String key = stack.prefix + "/early/object.bin";
    try (S3ObjectStore missing = store(stack, "lifeboat-no-such-bucket", stack.env)) {
      for (int i = 0; i < 3; i++) {
        StorageException e = assertThrows(StorageException.class,
            () -> missing.put(key, BODY, "application/octet-stream"));
        assertEquals(FailureKind.S3_NO_SUCH_BUCKET, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("lifeboat-no-such-bucket does not exist"),
            e.getMessage());
      }
    }
    Map<String, String> wrong = new HashMap<>(stack.env);
    wrong.put(r.secretKeyEnv(), "not-the-secret");
    try (S3ObjectStore refused = store(stack, r.bucket(), wrong)) {
      for (int i = 0; i < 3; i++) {
        StorageException e = assertThrows(StorageException.class,
            () -> refused.put(key, BODY, "application/octet-stream"));
        assertEquals(FailureKind.S3_ACCESS_DENIED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
      }
    }
    try (S3ObjectStore good = store(stack, r.bucket(), stack.env)) {
      // The first write is true, or false with these very bytes stored: ObjectStore's contract
      // for a write whose answer was lost in transit while its object landed (the SDK's retry
      // then meets its own first attempt: 412); the caller compares what is there. A fresh
      // clone's run on 539717d met that once (after the refused writes above), so the test
      // holds the contract, not a transport that never loses an answer.
      if (!good.putIfAbsent(key, BODY, "application/octet-stream", Map.of())) {
        try (InputStream in = good.get(key)) {
          assertArrayEquals(BODY, in.readAllBytes(),
              "a first write reported present must have stored these bytes");
        }
        System.out.println("S3EarlyAnswersEndToEndTest: the first write's answer was lost;"
            + " its object is there with the bytes written");
      }
      byte[] other = BODY.clone();
      other[0] ^= 1;
      for (int i = 0; i < 3; i++) {
        assertFalse(good.putIfAbsent(key, other, "application/octet-stream", Map.of()),
            "an If-None-Match put on a key that is there reports it there");
      }
      try (InputStream in = good.get(key)) {
        assertArrayEquals(BODY, in.readAllBytes(), "the first write stays");
      }
    }
  }
}
