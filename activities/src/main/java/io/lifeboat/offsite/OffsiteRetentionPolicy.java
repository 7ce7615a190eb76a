package io.lifeboat.offsite;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The offsite copy's own retention, for the backups of one source: keep every backup younger
 * than {@code days}, the newest of each of the last {@code monthly} calendar months (UTC), and
 * always the newest backup, however old. Backup ids sort by time (RepositoryLayout.backupId,
 * optionally followed by "-COMMIT"); an id that does not parse is kept.
 */
public final class OffsiteRetentionPolicy {
  private OffsiteRetentionPolicy() {}

  /** The ids to delete, oldest first. */
  public static List<String> expire(List<String> backupIds, Instant now, int days, int monthly) {
    List<String> ids = new ArrayList<>(backupIds);
    ids.sort(String::compareTo);
    if (ids.isEmpty()) return List.of();
    Set<String> keep = new HashSet<>();
    keep.add(ids.get(ids.size() - 1));
    Instant cutoff = now.minusSeconds(days * 86400L);
    YearMonth thisMonth = YearMonth.from(now.atZone(ZoneOffset.UTC));
    YearMonth oldestMonth = thisMonth.minusMonths(Math.max(0, monthly - 1));
    Set<YearMonth> monthsSeen = new HashSet<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      Optional<Instant> at = time(id);
      if (at.isEmpty() || !at.get().isBefore(cutoff)) {
        keep.add(id);
      }
      if (at.isPresent() && monthly > 0) {
        YearMonth month = YearMonth.from(at.get().atZone(ZoneOffset.UTC));
        // Newest first: the first id met in a month is that month's newest.
        if (!month.isBefore(oldestMonth) && monthsSeen.add(month)) keep.add(id);
      }
    }
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      if (!keep.contains(id)) out.add(id);
    }
    return out;
  }

  /** Either id shape, with or without a commit suffix (RepositoryLayout.backupTime). */
  static Optional<Instant> time(String backupId) {
    return io.lifeboat.repository.RepositoryLayout.backupTime(backupId);
  }
}
