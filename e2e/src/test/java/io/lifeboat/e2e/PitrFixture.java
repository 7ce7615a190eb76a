package io.lifeboat.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the point-in-time recovery tests do to an {@link ArchivingCluster}: a base backup,
 * pgbench load in the background, a checksum of pgbench's tables.
 */
final class PitrFixture {
  private PitrFixture() {}

  /** The tables as one digest, taken while writers are locked out (see {@link #pointInTime}). */
  static final String CHECKSUM_SQL = "select md5("
      + "(select coalesce(string_agg(a::text, ',' order by aid), '') from pgbench_accounts a)"
      + " || (select coalesce(string_agg(t::text, ',' order by tid), '') from pgbench_tellers t)"
      + " || (select coalesce(string_agg(b::text, ',' order by bid), '') from pgbench_branches b)"
      + " || (select coalesce(string_agg(h::text, ',' order by h.tid, h.bid, h.aid, h.delta,"
      + " h.mtime), '') from pgbench_history h))";

  /** A point in time and the data as it was then. */
  record PointInTime(String time, String checksum, String lsn) {}

  /**
   * Locks pgbench's tables against writers (SHARE waits for running writers and blocks new
   * ones), reads the clock and the checksum, then lets the load go on. Every commit before
   * the time is in the checksum; every commit after it has a later commit timestamp.
   */
  static PointInTime pointInTime(ArchivingCluster c) throws Exception {
    String out = psql(c, "begin; lock table pgbench_accounts, pgbench_tellers, pgbench_branches,"
        + " pgbench_history in share mode; select to_char(clock_timestamp() at time zone 'UTC',"
        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '|' || (" + CHECKSUM_SQL + ") || '|' ||"
        + " pg_current_wal_lsn(); commit;");
    String line = out.lines().filter(l -> l.contains("|")).reduce((a, b) -> b).orElseThrow();
    String[] f = line.split("\\|");
    return new PointInTime(f[0], f[1], f[2]);
  }

  static String checksum(ArchivingCluster c) throws Exception {
    return psql(c, CHECKSUM_SQL);
  }

  /** The configured database (named like the cluster) holds pgbench's tables. */
  static void createDatabase(ArchivingCluster c) throws Exception {
    c.psql("create database " + c.database);
  }

  static String psql(ArchivingCluster c, String sql) throws Exception {
    return ArchivingCluster.sh(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-v",
        "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String.valueOf(c.port), "-U", "postgres",
        "-d", c.database, "-c", sql).strip();
  }

  static String pgbench(ArchivingCluster c, String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of(RealStack.pg("pgbench"), "-h",
        "127.0.0.1", "-p", String.valueOf(c.port), "-U", "postgres"));
    argv.addAll(List.of(args));
    argv.add(c.database);
    return ArchivingCluster.sh(argv.toArray(String[]::new));
  }

  /** pgbench in the background until stopped; -N keeps it to the four tables. */
  static Process load(ArchivingCluster c, int clients) throws Exception {
    return new ProcessBuilder(RealStack.pg("pgbench"), "-h", "127.0.0.1", "-p",
        String.valueOf(c.port), "-U", "postgres", "-c", String.valueOf(clients), "-j", "1",
        "-T", "3600", "-N", "--rate=200", c.database)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  static void stop(Process load) throws Exception {
    load.destroy();
    load.waitFor();
  }

  /** Switches to a new segment and waits until everything written so far is archived. */
  static void archiveAll(ArchivingCluster c) throws Exception {
    String last = c.psql("select pg_walfile_name(pg_current_wal_lsn())");
    c.psql("select pg_switch_wal()");
    c.awaitArchived(last);
  }

  /** A base backup through the real workflow (`lifeboat backup base NAME --wait`). */
  static void baseBackup(RealStack stack, Path config, String db) {
    RealStack.Run r = stack.cli("backup", "base", db, "--wait", "--config", config.toString());
    if (r.exit() != 0) {
      throw new AssertionError("backup base failed: " + r.out() + r.err());
    }
  }

  static List<String> siblings(Path data) throws Exception {
    try (var s = Files.list(data.getParent())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String text(Path p) throws Exception {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
