package io.lifeboat.run;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Instant;

/** Test environments as the workflows meet them: Lifeboat's search attributes registered. */
public final class TestEnvironments {
  private TestEnvironments() {}

  /** Starting at {@code start}, with {@link LifeboatSearchAttributes#ALL} registered. */
  public static TestWorkflowEnvironment withSearchAttributes(Instant start) {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setInitialTime(start);
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return TestWorkflowEnvironment.newInstance(options.build());
  }
}
