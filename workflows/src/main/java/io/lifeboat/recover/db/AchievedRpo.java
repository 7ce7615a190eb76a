package io.lifeboat.recover.db;

import java.time.Duration;
import java.time.Instant;

/**
 * The data a recovery actually brought back: the last committed transaction restored, against
 * the point it was meant to reach. Its age is the recovery point achieved, the RPO in fact.
 *
 * <p>The last commit, in order of preference: {@code pg_last_committed_xact()} on the
 * recovered copy when {@code track_commit_timestamp} is on (time and xid); else
 * {@code pg_last_xact_replay_timestamp()}, the commit time of the newest transaction the WAL
 * replay applied; else (nothing replayed after the base backup, or a dump restore) the time the
 * backup was consistent. The LSN is where the replay ended. It is measured against the target
 * time for {@code --time}, else against the start of the recovery (the latest data there was
 * when people decided to recover: no separate incident time is recorded).
 *
 * @param lastCommitAt ISO instant of the last transaction restored
 * @param lsn where the restored data ends (PITR), else null
 * @param xid the last transaction's id when known
 * @param source where {@code lastCommitAt} comes from
 * @param against the instant it is measured against (ISO)
 * @param againstWhat "recovery target" or "start of the recovery"
 * @param seconds against − lastCommitAt, at least 0: the data lost, in seconds
 */
public record AchievedRpo(String lastCommitAt, String lsn, String xid, String source,
    String against, String againstWhat, double seconds) {

  public static final String SOURCE_BACKUP = "the backup's consistent point";

  /** Pure: from the copy's last commit (or the plan's backup time) and the target. */
  public static AchievedRpo of(VerifyReport verification, RecoveryPlan plan, RecoveryRequest req,
      long recoveryStartedAt) {
    VerifyReport.LastCommit last = verification.lastCommit();
    RecoveryTarget target = req.target();
    String at = last != null && last.at() != null ? last.at() : plan.backupFinishedAt();
    String source = last != null && last.at() != null ? last.source() : SOURCE_BACKUP;
    String lsn = last != null ? last.lsn() : null;
    boolean toTime = RecoveryTarget.TIME.equals(target.mode()) && target.time() != null;
    Instant against = toTime ? Instant.parse(target.time())
        : Instant.ofEpochMilli(recoveryStartedAt);
    double seconds = at == null ? -1
        : Math.max(0, Duration.between(Instant.parse(at), against).toMillis() / 1000.0);
    return new AchievedRpo(at, lsn, last == null ? null : last.xid(), source, against.toString(),
        toTime ? "recovery target" : "start of the recovery", seconds);
  }

  /**
   * At the end of a recovery that succeeded: the report's fact "Last transaction restored" and
   * the gauge {@value RecoveryMetrics#ACHIEVED_RPO}. Returns {@link #describe}.
   */
  public String record(io.lifeboat.run.ReportWriter report, String database, String kind) {
    report.fact("Last transaction restored", describe());
    RecoveryMetrics.achievedRpo(io.temporal.workflow.Workflow.getMetricsScope(), database, kind,
        seconds);
    return describe();
  }

  /** "2026-12-06T03:00:00Z (LSN 0/3000060), 42.0 s before the start of the recovery". */
  public String describe() {
    if (lastCommitAt == null) return "unknown (no commit time on the copy or the backup)";
    return lastCommitAt + (lsn == null ? "" : " (LSN " + lsn + ")")
        + (xid == null ? "" : ", xid " + xid) + ", " + seconds + " s before the " + againstWhat
        + " " + against + "; from " + source;
  }
}
