package io.lifeboat.backup.mariadb;

import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A stored dump streamed into a mariadb client, and the tables a server then holds. */
public final class MariaDbLoad {
  private MariaDbLoad() {}

  /**
   * Reads the stored dump (digest, cipher, zstd) into the client's stdin. The client's failure
   * is RESTORE_TEST_FAILED for a scratch server (the dump does not load), classified by its
   * words for the live one.
   */
  public static MariaDbStreams.Download into(ProcessBuilder client, String where,
      ObjectStore store, RepositoryCipher cipher, String key, Runnable beat, boolean live) {
    Process p;
    try {
      p = client.start();
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot run mariadb: " + e.getMessage()
          + " (apt-get install mariadb-client)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread o = new Thread(() -> MariaDbClient.copy(p.getInputStream(), out), "mariadb-out");
    Thread e = new Thread(() -> MariaDbClient.copy(p.getErrorStream(), err), "mariadb-err");
    o.start();
    e.start();
    boolean done = false;
    try {
      MariaDbStreams.Download d;
      try (OutputStream stdin = p.getOutputStream()) {
        d = MariaDbStreams.read(store, cipher, key, (buf, n) -> {
          try {
            stdin.write(buf, 0, n);
          } catch (IOException x) {
            throw new MariaDbStreams.SinkFailed(failed(where, key, err, live));
          }
        }, beat);
      } catch (IOException x) {
        throw failed(where, key, err, live);
      }
      int exit = p.waitFor();
      o.join(5000);
      e.join(5000);
      if (exit != 0) throw failed(where, key, err, live);
      done = true;
      return d;
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    } finally {
      if (!done) p.destroyForcibly();
    }
  }

  private static RuntimeException failed(String where, String key, ByteArrayOutputStream err,
      boolean live) {
    try {
      Thread.sleep(200); // let the client's last words arrive
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
    }
    String text = err.toString();
    if (live) return MariaDbClient.classify(where, null, "loading " + key, text);
    return FailureKind.RESTORE_TEST_FAILED.failure("stored dump " + key + " does not restore"
        + " into " + where + ": " + MariaDbClient.lastLine(text));
  }

  /**
   * Every base table of the databases with its rows and CHECKSUM TABLE, sorted by name; sql
   * runs one statement and gives its output.
   */
  public static List<MariaDbTable> tables(Function<String, MariaDbClient.Result> sql,
      List<String> databases) {
    List<String> names = MariaDbClient.lines(ok(sql.apply(MariaDbClient.baseTablesSql(databases))));
    List<MariaDbTable> tables = new ArrayList<>();
    if (names.isEmpty()) return tables;
    Map<String, Long> sums = MariaDbClient.parseChecksums(
        ok(sql.apply(MariaDbClient.checksumSql(names))));
    StringBuilder count = new StringBuilder();
    for (String n : names) {
      if (count.length() > 0) count.append(" UNION ALL ");
      count.append("SELECT ").append(MariaDbClient.literal(n)).append(", COUNT(*) FROM ")
          .append(MariaDbClient.qualified(n));
    }
    Map<String, Long> rows = MariaDbClient.parseChecksums(ok(sql.apply(count.toString())));
    for (String n : names) {
      tables.add(new MariaDbTable(n, rows.getOrDefault(n, -1L), sums.getOrDefault(n, -1L)));
    }
    return tables;
  }

  private static String ok(MariaDbClient.Result r) {
    if (r.exit() != 0) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("mariadb failed: "
          + MariaDbClient.lastLine(r.both()));
    }
    return r.out();
  }
}
