package io.lifeboat.recover.mariadb;

import io.lifeboat.failure.FailureKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event headers of a binlog file as mariadb-binlog prints them (run with TZ=UTC, so the times
 * are UTC): "# at POS" then "#YYMMDD HH:MM:SS server id N  end_log_pos P ... TYPE". Every
 * MariaDB transaction starts with a GTID event: its position is an exact cut.
 */
final class BinlogEvents {
  private static final Pattern HEADER = Pattern.compile(
      "^#(\\d{6})\\s+(\\d{1,2}):(\\d{2}):(\\d{2}) server id \\d+\\s+end_log_pos \\d+.*?\\t(.*)$");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");

  private BinlogEvents() {}

  /** A transaction's start: the GTID event's position and its time (UTC seconds). */
  record Gtid(long position, long epochSecond) {}

  static List<Gtid> gtids(Path file, long startPosition) {
    List<Gtid> out = new ArrayList<>();
    scan(file, startPosition, (pos, second, type) -> {
      if (type.startsWith("GTID ")) out.add(new Gtid(pos, second));
    });
    return out;
  }

  /** The time of the file's last event (its closing rotate event). */
  static long lastEventSecond(Path file) {
    long[] last = {0};
    scan(file, 4, (pos, second, type) -> last[0] = second);
    return last[0];
  }

  private interface Visitor {
    void event(long position, long epochSecond, String type);
  }

  private static void scan(Path file, long start, Visitor v) {
    ProcessBuilder pb = new ProcessBuilder("mariadb-binlog", "--no-defaults",
        "--start-position=" + start, file.toString());
    pb.environment().put("TZ", "UTC");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      long at = -1;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("# at ")) {
            at = Long.parseLong(line.substring(5).strip());
            continue;
          }
          Matcher m = HEADER.matcher(line);
          if (m.matches() && at >= 0) {
            LocalDateTime t = java.time.LocalDate.parse(m.group(1), DAY).atTime(
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
            v.event(at, t.toEpochSecond(ZoneOffset.UTC), m.group(5));
          }
        }
      }
      if (p.waitFor() != 0) {
        throw FailureKind.MARIADB_TOOL_FAILED.failure("mariadb-binlog cannot read " + file
            + " (exit " + p.exitValue() + ")");
      }
    } catch (IOException e) {
      throw FailureKind.MARIADB_TOOL_FAILED.failure("cannot run mariadb-binlog: "
          + e.getMessage() + " (apt-get install mariadb-client)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.MARIADB_TOOL_FAILED.failure("interrupted");
    }
  }

}
