package io.lifeboat.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Is the archive continuous, following timelines the way recovery does? A timeline's history
 * file lists its ancestors and the LSN where each one ended; a segment number before an
 * ancestor's switch point is read from that ancestor, the segment holding the switch point and
 * everything after from the next timeline. Pure: unit tests feed it names.
 */
public final class WalContinuity {
  private WalContinuity() {}

  /** One line of a history file: timeline {@code parent} ended at {@code switchLsn}. */
  public record Switch(int parent, String switchLsn) {}

  public record Result(List<String> missing, int missingCount, long checked, String from,
      String to) {}

  /** Parses a timeline history file ("1\t0/3000000\treason" lines; # comments). */
  public static List<Switch> parseHistory(String text) {
    List<Switch> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] f = l.split("\\s+");
      if (f.length >= 2) out.add(new Switch(Integer.parseInt(f[0]), f[1]));
    }
    return out;
  }

  /** The timeline recovery reads segment {@code segNo} from, on the way to {@code target}. */
  public static int timelineOf(long segNo, int target, List<Switch> history, long segmentSize) {
    for (Switch s : history) {
      if (segNo < WalNames.parseLsn(s.switchLsn()) / segmentSize) return s.parent();
    }
    return target;
  }

  /**
   * Checks every segment from {@code fromSegNo} to {@code toSegNo} (inclusive).
   *
   * @param archived the archived segment names
   * @param target the newest timeline; {@code history} is its history file (empty for 1)
   */
  public static Result check(Set<String> archived, long fromSegNo, long toSegNo, int target,
      List<Switch> history, long segmentSize) {
    List<String> missing = new ArrayList<>();
    int count = 0;
    for (long s = fromSegNo; s <= toSegNo; s++) {
      String name = WalNames.segmentName(timelineOf(s, target, history, segmentSize), s,
          segmentSize);
      if (!archived.contains(name)) {
        count++;
        if (missing.size() < 20) missing.add(name);
      }
    }
    String from = WalNames.segmentName(timelineOf(fromSegNo, target, history, segmentSize),
        fromSegNo, segmentSize);
    String to = WalNames.segmentName(target, toSegNo, segmentSize);
    return new Result(missing, count, Math.max(0, toSegNo - fromSegNo + 1), from, to);
  }
}
