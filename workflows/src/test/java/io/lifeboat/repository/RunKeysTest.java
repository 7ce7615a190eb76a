package io.lifeboat.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one rule for a run's short key: the random end of the run id, never its clock. */
class RunKeysTest {
  /** Two UUIDv7 run ids 40 s apart: the server's clock (ms) 0x019aa8f01c2b and 0x019aa8f0b86b. */
  static final String V7_FIRST = "019aa8f0-1c2b-7d3e-8f40-5a6b7c8d9e0f";
  static final String V7_40S_LATER = "019aa8f0-b86b-7a11-b222-333344445555";

  @Test
  void twoUuidV7RunsOfTheSameMinuteGetDifferentKeys() {
    // The first 8 hex digits are the top of the millisecond clock: shared for ~65 s.
    assertEquals(RunKeys.legacyPrefix(V7_FIRST), RunKeys.legacyPrefix(V7_40S_LATER));
    assertEquals("019aa8f0", RunKeys.legacyPrefix(V7_FIRST));
    // The end is random: the keys differ.
    assertNotEquals(RunKeys.of(V7_FIRST), RunKeys.of(V7_40S_LATER));
    assertEquals("7c8d9e0f", RunKeys.of(V7_FIRST));
    assertEquals("44445555", RunKeys.of(V7_40S_LATER));
  }

  @Test
  void theKeyIsEightLowercaseLettersOrDigitsWhateverTheRunId() {
    assertEquals("567890ab", RunKeys.of("5B3C9E1F-0A7D-4C2B-9E8F-1234567890AB"));
    assertEquals("00000abc", RunKeys.of("AB-c"));
    assertEquals("00000000", RunKeys.of(null));
    for (String id : new String[] {V7_FIRST, V7_40S_LATER, "x", "", "a-b_c.d/e"}) {
      assertTrue(RunKeys.of(id).matches("[a-z0-9]{" + RunKeys.LENGTH + "}"), id);
    }
    // The same run asks again (a replay, a retry): the same key.
    assertEquals(RunKeys.of(V7_FIRST), RunKeys.of(V7_FIRST));
  }

  @Test
  void backupIdsTakeTheSamePiece() {
    assertTrue(RepositoryLayout.uniqueBackupId(0L, V7_FIRST).endsWith("-" + RunKeys.of(V7_FIRST)));
  }
}
