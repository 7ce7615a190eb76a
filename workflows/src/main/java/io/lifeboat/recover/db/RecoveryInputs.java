package io.lifeboat.recover.db;

import io.lifeboat.failure.FailureKind;

/** What a database recovery's runbook derives from its request, the live server and its plan. */
final class RecoveryInputs {
  private RecoveryInputs() {}

  /** Config first (the operator's word), then the live server, then the base backup's record. */
  static String dataDirectory(RecoveryRequest req, ClusterFacts cluster, RecoveryPlan plan) {
    String configured = req.database().recovery().dataDirectory();
    if (configured != null) return configured;
    if (cluster.dataDirectory() != null) return cluster.dataDirectory();
    if (plan.dataDirectory() != null) return plan.dataDirectory();
    throw FailureKind.CONFIG_INVALID.failure("the data directory of " + req.database().name()
        + " is unknown: the server does not answer and the base backup does not record it;"
        + " set databases[].recovery.dataDirectory");
  }

  static String notAfter(RecoveryTarget target) {
    return RecoveryTarget.TIME.equals(target.mode()) ? target.time() : null;
  }

  /** NAME_lb_<id>, within PostgreSQL's 63 bytes. */
  static String scratchDatabase(String db, String recoveryId) {
    String suffix = "_lb_" + recoveryId.toLowerCase();
    return (db.length() + suffix.length() > 63 ? db.substring(0, 63 - suffix.length()) : db)
        + suffix;
  }
}
