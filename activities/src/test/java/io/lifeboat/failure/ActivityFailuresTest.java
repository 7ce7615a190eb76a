package io.lifeboat.failure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ActivityFailuresTest {
  @Test
  void enospcIsRecognisedAsACauseOrASuppressedException() {
    assertTrue(ActivityFailures.diskFull(new IOException("No space left on device")));
    assertTrue(ActivityFailures.diskFull(new UncheckedIOException(
        new IOException("No space left on device"))));
    IOException closing = new IOException("pipe closed");
    closing.addSuppressed(new IOException("No space left on device"));
    assertTrue(ActivityFailures.diskFull(closing));
  }

  @Test
  void otherIoErrorsAreNotADiskFull() {
    assertFalse(ActivityFailures.diskFull(new IOException("Broken pipe")));
    assertFalse(ActivityFailures.diskFull(new IOException((String) null)));
    assertFalse(ActivityFailures.diskFull(null));
  }
}
