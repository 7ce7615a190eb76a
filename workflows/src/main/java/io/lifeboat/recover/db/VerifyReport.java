package io.lifeboat.recover.db;

import java.util.List;

/**
 * Each validation query's name and value, as the report lists them, and the last transaction
 * the recovered copy holds.
 *
 * @param lastCommit the newest committed transaction on the recovered copy (a base backup + WAL
 *     replay), or null when the copy cannot say (a dump restore, or nothing was replayed)
 */
public record VerifyReport(List<Check> checks, LastCommit lastCommit) {
  public VerifyReport(List<Check> checks) {
    this(checks, null);
  }

  public record Check(String name, String value, String expectation) {}

  /**
   * @param at its commit time (ISO instant), or null when unknown
   * @param lsn where the replay ended ({@code pg_last_wal_replay_lsn()}), or null
   * @param xid its transaction id when {@code pg_last_committed_xact()} gave it, else null
   * @param source which function said so
   */
  public record LastCommit(String at, String lsn, String xid, String source) {}
}
