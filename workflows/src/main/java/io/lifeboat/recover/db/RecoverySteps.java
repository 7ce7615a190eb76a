package io.lifeboat.recover.db;

import java.util.List;

/** The steps a database recovery takes, by method, for its projected finish. */
public final class RecoverySteps {
  public static final List<String> PITR = List.of("plan", "assess", "stop-application",
      "prepare", "download", "replay", "verify", "swap", "start-application", "health-check");
  public static final List<String> DUMP = List.of("plan", "assess", "stop-application",
      "restore", "verify", "swap", "start-application", "health-check");

  private RecoverySteps() {}

  /** Before the plan step the method is unknown: the longer (PITR) list is assumed. */
  public static List<String> of(String method) {
    return RecoveryPlan.DUMP.equals(method) ? DUMP : PITR;
  }
}
