package io.lifeboat.repository;

import io.lifeboat.config.RetentionConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Grandfather-father-son selection, a pure function: which backups the keep counts retain. For
 * each rule on its own (daily, weekly, monthly, yearly), walk the backups newest first and keep
 * the newest backup of each period until that many periods holding a backup have been kept.
 * Periods without a backup are skipped, not counted, so a gap in the backups makes the rule
 * reach further back instead of keeping fewer. Days, ISO weeks (Monday to Sunday, week-based
 * year), months and years are those of the zone given (the checks' {@code schedules.timezone},
 * so the periods retention keeps are the periods the checks count). One backup may satisfy
 * several rules. Age ({@code retention.fullDays}) and "the newest is never deleted" are the
 * caller's ({@link Retention}); this only says what GFS keeps.
 */
public final class GfsSelection {
  private GfsSelection() {}

  /**
   * @param times when each backup was taken, by id; ties on time are broken by id (greater id
   *     newer), so the result does not depend on the map's order
   * @return the ids kept, newest first
   */
  public static Set<String> keep(Map<String, Instant> times, RetentionConfig.Keep keep,
      ZoneId zone) {
    List<Map.Entry<String, Instant>> newestFirst = new ArrayList<>(times.entrySet());
    newestFirst.sort(Map.Entry.<String, Instant>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey()).reversed());
    Set<String> kept = new LinkedHashSet<>();
    rule(newestFirst, keep.daily(), zone, d -> d, kept);
    rule(newestFirst, keep.weekly(), zone,
        d -> d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
        kept);
    rule(newestFirst, keep.monthly(), zone, d -> d.getYear() * 100 + d.getMonthValue(), kept);
    rule(newestFirst, keep.yearly(), zone, LocalDate::getYear, kept);
    List<String> ordered = new ArrayList<>(kept);
    Comparator<String> byTime = Comparator.comparing(times::get);
    ordered.sort(byTime.thenComparing(Comparator.naturalOrder()).reversed());
    return new LinkedHashSet<>(ordered);
  }

  private static void rule(List<Map.Entry<String, Instant>> newestFirst, int count, ZoneId zone,
      Function<LocalDate, Object> period, Set<String> kept) {
    Object last = null;
    int left = count;
    for (Map.Entry<String, Instant> b : newestFirst) {
      if (left <= 0) return;
      Object p = period.apply(LocalDate.ofInstant(b.getValue(), zone));
      if (Objects.equals(p, last)) continue;
      last = p;
      kept.add(b.getKey());
      left--;
    }
  }
}
