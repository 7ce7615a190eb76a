package io.lifeboat.repository;

import io.lifeboat.config.RetentionConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.repository.RepositoryLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Retention for every kind of backup under one root (ROOT/ID/objects): which committed backups
 * go, which leftovers of failed runs go, and deleting them so that a half-deleted backup is
 * never taken for a good one (its manifest.json goes first: once it is gone the backup no
 * longer exists, whatever fails after). The newest committed backup is never deleted. Ids of
 * either shape (RepositoryLayout.backupTime) sort by time as strings, so "newest" is the last
 * id in string order.
 */
public final class Retention {
  private Retention() {}

  /** One backup directory: its id, its path (root + id + "/") and every key under it. */
  public record Dir(String id, String path, List<String> keys) {
    /** It holds path + manifest.json: the commit mark, exactly where it belongs. */
    public boolean holdsManifest() {
      return keys.contains(path + RepositoryLayout.MANIFEST);
    }

    /** Some key under it ends in /manifest.json, at any depth. */
    public boolean holdsManifestAnywhere() {
      return keys.stream().anyMatch(k -> k.endsWith("/" + RepositoryLayout.MANIFEST));
    }

    /** The time its id names, either shape; empty for what is not a backup id. */
    public Optional<Instant> idTime() {
      return RepositoryLayout.backupTime(id);
    }
  }

  /**
   * @param keepNewest this many newest committed backups are kept, whatever their age (at least
   *     one: the newest is never deleted)
   * @param keepYounger committed backups younger than this are kept (a backup exactly this old
   *     is kept too); null: age keeps nothing, only {@code keepNewest} counts
   * @param leftoversAfter uncommitted directories whose id is older than this are removed (a
   *     failed run's leftovers); null: they are left alone. A directory whose id is no backup
   *     id is never removed as a leftover.
   * @param gfs null: no GFS keeps (age and {@code keepNewest} only); else a committed backup is
   *     also kept when {@link GfsSelection} keeps it, by the time {@code age} gives it
   * @param zone the zone of GFS's days, weeks, months and years; null: UTC
   */
  public record Policy(int keepNewest, Duration keepYounger, Duration leftoversAfter,
      RetentionConfig.Keep gfs, ZoneId zone) {
    /** Without GFS keeps: the shape before them. */
    public Policy(int keepNewest, Duration keepYounger, Duration leftoversAfter) {
      this(keepNewest, keepYounger, leftoversAfter, null, null);
    }
  }

  /**
   * @param expired ids of the committed backups deleted, oldest first
   * @param kept ids of the committed backups kept, oldest first
   * @param leftovers ids of the uncommitted directories deleted, oldest first
   * @param keptByGfsOnly ids of the kept backups that only the GFS keeps kept (neither the count
   *     nor the age would have), oldest first: base backups keep just the WAL these need to be
   *     consistent, not the WAL between them
   */
  public record Outcome(List<String> expired, List<String> kept, List<String> leftovers,
      List<String> keptByGfsOnly) {
    public Outcome(List<String> expired, List<String> kept, List<String> leftovers) {
      this(expired, kept, leftovers, List.of());
    }
  }

  /** The zone of GFS periods from {@code schedules.timezone} as a request carries it; null: UTC. */
  public static ZoneId zone(String timezone) {
    return timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone);
  }

  /** Every backup directory under root (with its trailing slash), in id (= time) order. */
  public static TreeMap<String, Dir> directories(ObjectStore store, String root) {
    TreeMap<String, List<String>> byId = new TreeMap<>();
    for (String key : store.list(root)) {
      String rest = key.substring(root.length());
      int slash = rest.indexOf('/');
      if (slash > 0) byId.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(key);
    }
    TreeMap<String, Dir> dirs = new TreeMap<>();
    byId.forEach((id, keys) -> dirs.put(id, new Dir(id, root + id + "/", List.copyOf(keys))));
    return dirs;
  }

  /**
   * Applies the policy to the backups under root, deleting in id order.
   *
   * @param committed which directories are committed backups (the kind's commit rule)
   * @param age when a committed backup was taken, for {@code keepYounger}; empty: kept
   * @param removed called after each directory is deleted, with its id and whether it was a
   *     committed backup (true) or a leftover (false)
   */
  public static Outcome apply(ObjectStore store, String root, Instant now, Policy policy,
      Predicate<Dir> committed, Function<Dir, Optional<Instant>> age, LocalCopy local,
      BiConsumer<String, Boolean> removed) {
    TreeMap<String, Dir> dirs = directories(store, root);
    java.util.Map<String, Integer> good = new java.util.HashMap<>();
    for (Dir d : dirs.values()) if (committed.test(d)) good.put(d.id(), good.size());
    int protectedFrom = good.size() - Math.max(1, policy.keepNewest());
    Instant cutoff = policy.keepYounger() == null ? null : now.minus(policy.keepYounger());
    Instant leftoverCutoff = policy.leftoversAfter() == null ? null
        : now.minus(policy.leftoversAfter());
    Set<String> gfsKept = Set.of();
    if (policy.gfs() != null) {
      java.util.Map<String, Instant> times = new java.util.HashMap<>();
      for (Dir d : dirs.values()) {
        if (good.containsKey(d.id())) age.apply(d).ifPresent(t -> times.put(d.id(), t));
      }
      gfsKept = GfsSelection.keep(times, policy.gfs(),
          policy.zone() != null ? policy.zone() : ZoneOffset.UTC);
    }
    List<String> expired = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> leftovers = new ArrayList<>();
    List<String> gfsOnly = new ArrayList<>();
    for (Dir d : dirs.values()) {
      Integer index = good.get(d.id());
      if (index != null) {
        boolean keep = index >= protectedFrom;
        if (!keep && cutoff != null) {
          Optional<Instant> when = age.apply(d);
          keep = when.isEmpty() || !when.get().isBefore(cutoff);
        }
        if (!keep && gfsKept.contains(d.id())) {
          keep = true;
          gfsOnly.add(d.id());
        }
        if (keep) {
          kept.add(d.id());
          continue;
        }
        deleteManifestFirst(store, d.path(), d.keys(), local);
        expired.add(d.id());
        removed.accept(d.id(), true);
      } else if (leftoverCutoff != null) {
        Optional<Instant> when = d.idTime();
        if (when.isPresent() && when.get().isBefore(leftoverCutoff)) {
          deleteManifestFirst(store, d.path(), d.keys(), local);
          leftovers.add(d.id());
          removed.accept(d.id(), false);
        }
      }
    }
    return new Outcome(expired, kept, leftovers, gfsOnly);
  }

  /**
   * Deletes one directory's objects, every manifest.json first (the list's order otherwise),
   * then lets the local copy follow.
   */
  public static void deleteManifestFirst(ObjectStore store, String dir, List<String> keys,
      LocalCopy local) {
    for (String k : manifestFirst(keys)) {
      store.delete(k);
      local.deleted(k);
    }
    local.emptied(dir);
  }

  /** The keys with every manifest.json first, otherwise in the order given. */
  public static List<String> manifestFirst(List<String> keys) {
    List<String> ordered = new ArrayList<>(keys);
    ordered.sort(Comparator.comparing(k -> !k.endsWith(RepositoryLayout.MANIFEST)));
    return ordered;
  }
}
