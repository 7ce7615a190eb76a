package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The keep rules of a files source applied to a list of generations, as restic's forget and
 * borg's prune read them: the last N, then the newest of each of the last N days, weeks (ISO)
 * and months (UTC). Used where the engine has no such command of its own (rsync).
 */
final class FilesKeep {
  private FilesKeep() {}

  /** The generations kept, oldest first; all of them when the rules keep everything. */
  static List<String> keep(List<String> names, Function<String, Instant> time,
      FilesConfig.Keep k) {
    if (k.keepsEverything()) return List.copyOf(names);
    List<String> newest = new ArrayList<>(names);
    newest.sort(Comparator.comparing(time).thenComparing(Comparator.naturalOrder()));
    java.util.Collections.reverse(newest);
    Set<String> kept = new HashSet<>();
    for (int i = 0; i < Math.min(k.last(), newest.size()); i++) kept.add(newest.get(i));
    bucket(newest, time, k.daily(), z -> z.toLocalDate().toString(), kept);
    bucket(newest, time, k.weekly(), z -> z.get(IsoFields.WEEK_BASED_YEAR) + "-"
        + z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), kept);
    bucket(newest, time, k.monthly(), z -> z.getYear() + "-" + z.getMonthValue(), kept);
    return names.stream().filter(kept::contains).toList();
  }

  private static void bucket(List<String> newest, Function<String, Instant> time, int n,
      Function<ZonedDateTime, String> period, Set<String> kept) {
    Set<String> seen = new LinkedHashSet<>();
    for (String g : newest) {
      if (seen.size() >= n) return;
      if (seen.add(period.apply(time.apply(g).atZone(ZoneOffset.UTC)))) kept.add(g);
    }
  }
}
