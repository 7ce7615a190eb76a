package io.lifeboat.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A point's name is a file name in the repository and a quoted server option: no surprises. */
class RestorePointNamesTest {
  @Test
  void namesAreLettersDigitsDotsDashesAndUnderscores() {
    assertTrue(RestorePointWorkflow.validName("before-upgrade_2026.12"));
    assertTrue(RestorePointWorkflow.validName("a".repeat(63)));
    assertFalse(RestorePointWorkflow.validName("a".repeat(64)));
    assertFalse(RestorePointWorkflow.validName(""));
    assertFalse(RestorePointWorkflow.validName(null));
    assertFalse(RestorePointWorkflow.validName("-x"));
    assertFalse(RestorePointWorkflow.validName("it's"));
    assertFalse(RestorePointWorkflow.validName("../x"));
    assertFalse(RestorePointWorkflow.validName("a b"));
  }
}
