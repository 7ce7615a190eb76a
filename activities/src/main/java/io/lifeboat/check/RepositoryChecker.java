package io.lifeboat.check;

import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.ChecksConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.check.CheckReport;
import io.lifeboat.check.CheckRequest;
import io.lifeboat.check.CheckSource;
import io.lifeboat.check.SourceCheck;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RepositoryLayout;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Judges the repository from its manifests alone (no Temporal needed, so {@code lifeboat check}
 * works when Temporal is down): is the newest backup of each source fresh, and does every
 * required day, ISO week and month hold a database dump? Every kind is judged for freshness
 * against its own limit (dumps {@code checks.maxAgeHours}, base backups {@code
 * baseMaxAgeHours}, applications {@code appMaxAgeHours}, configuration {@code
 * configMaxAgeHours}); the day/week/month requirements are the dumps'. Drills are a kind too
 * (source = the cadence, monthly or quarterly): the newest drill of that cadence that succeeded,
 * from the stored reports, must be younger than its period (31 or 92 days) plus {@code
 * checks.drillGraceDays}. Redis, MariaDB and OpenSearch backups and files backups are judged the
 * same way against their own limits ({@code redisMaxAgeHours}, {@code mariadbMaxAgeHours},
 * {@code opensearchMaxAgeHours}, {@code filesMaxAgeHours}); a files backup counts only when its
 * restic check passed (its manifest records a failed check too). A kind the config does not
 * name has no source, so it is never judged (skipped, not failed).
 *
 * <p>Extension points: a {@link BackupLister} per backup kind (applications, base backups) and
 * {@link ExtraCheck}s run on every source (WAL continuity, from the WAL archive's own check).
 */
public final class RepositoryChecker {
  /** The committed backups of one source of a kind, as backup ids (sortable by time). */
  public interface BackupLister {
    List<String> backupIds(ObjectStore store, RepositoryConfig repository, String source);
  }

  /** More findings for a source; each returned line is a problem (empty: all is well). */
  public interface ExtraCheck {
    List<Finding> check(ObjectStore store, CheckRequest request, CheckSource source);
  }

  /** @param key stable across runs while the problem persists (no ages in it) */
  public record Finding(String key, String text) {}

  /** The size a backup's manifest states, or -1 when it states none. */
  public interface SizeReader {
    long bytes(ObjectStore store, RepositoryConfig repository, String source, String backupId);
  }

  private final Map<String, BackupLister> listers = new HashMap<>();
  private final Map<String, SizeReader> sizes = new HashMap<>();
  private final List<ExtraCheck> extras = new ArrayList<>();

  public RepositoryChecker() {
    listers.put(LifeboatSearchAttributes.KIND_DB_FULL, (store, repo, db) ->
        Manifests.committed(store, repo.prefix(), db).stream().map(BackupManifest::backupId)
            .toList());
    listers.put(LifeboatSearchAttributes.KIND_DB_BASE, (store, repo, db) ->
        new io.lifeboat.wal.BaseBackups(store, repo.prefix(), db).committed().stream()
            .map(io.lifeboat.backup.base.BaseBackupManifest::backupId).toList());
    listers.put(LifeboatSearchAttributes.KIND_APP, (store, repo, app) -> committedDirs(store,
        RepositoryLayout.appBackupsRoot(repo.prefix(), app)));
    listers.put(LifeboatSearchAttributes.KIND_CONFIG, (store, repo, estate) -> committedDirs(
        store, RepositoryLayout.configBackupsRoot(repo.prefix())));
    listers.put(LifeboatSearchAttributes.KIND_DRILL, (store, repo, cadence) ->
        io.lifeboat.drill.DrillHistory.read(store, repo.prefix()).stream()
            .filter(d -> cadence.equals(d.cadence()) && d.succeeded())
            .map(d -> RepositoryLayout.backupId(d.report().finishedAtMillis())).toList());
    listers.put(LifeboatSearchAttributes.KIND_REDIS, (store, repo, name) -> committedDirs(store,
        io.lifeboat.backup.redis.RedisLayout.root(repo.prefix(), name)));
    listers.put(LifeboatSearchAttributes.KIND_MARIADB, (store, repo, name) -> committedDirs(store,
        io.lifeboat.backup.mariadb.MariaDbLayout.root(repo.prefix(), name)));
    listers.put(LifeboatSearchAttributes.KIND_OPENSEARCH, (store, repo, name) -> committedDirs(
        store, io.lifeboat.backup.opensearch.OpenSearchLayout.snapshotsRoot(repo.prefix(), name)));
    listers.put(LifeboatSearchAttributes.KIND_FILES, (store, repo, name) ->
        committedDirs(store, filesRoot(repo, name)).stream()
            .filter(id -> checkPassed(filesManifest(store, repo, name, id))).toList());
    sizes.put(LifeboatSearchAttributes.KIND_DB_FULL, (store, repo, db, id) -> Manifests.read(
        store, RepositoryLayout.manifestKey(repo.prefix(), db, id), BackupManifest.class)
        .storedBytes());
    sizes.put(LifeboatSearchAttributes.KIND_REDIS, (store, repo, name, id) -> Manifests.read(
        store, io.lifeboat.backup.redis.RedisLayout.manifestKey(repo.prefix(), name, id),
        io.lifeboat.backup.redis.RedisManifest.class).storedBytes());
    sizes.put(LifeboatSearchAttributes.KIND_MARIADB, (store, repo, name, id) -> Manifests.read(
        store, io.lifeboat.backup.mariadb.MariaDbLayout.manifestKey(repo.prefix(), name, id),
        io.lifeboat.backup.mariadb.MariaDbManifest.class).storedBytes());
    sizes.put(LifeboatSearchAttributes.KIND_OPENSEARCH, (store, repo, name, id) -> Manifests.read(
        store, io.lifeboat.backup.opensearch.OpenSearchLayout.manifestKey(repo.prefix(), name, id),
        io.lifeboat.backup.opensearch.OpenSearchManifest.class).storedBytes());
    sizes.put(LifeboatSearchAttributes.KIND_FILES, (store, repo, name, id) ->
        filesManifest(store, repo, name, id).totalBytes());
  }

  /** PREFIX/files-manifests/NAME/: the directory of the files backups' manifests. */
  static String filesRoot(RepositoryConfig repo, String name) {
    String key = io.lifeboat.backup.files.ResticTarget.manifestKey(repo, name, "ID");
    return key.substring(0, key.length() - ("ID/" + RepositoryLayout.MANIFEST).length());
  }

  /** A files backup counts once its restic check passed ("ok: ..."). */
  static boolean checkPassed(io.lifeboat.backup.files.FilesManifest m) {
    return m.verification() != null && m.verification().startsWith("ok");
  }

  private static io.lifeboat.backup.files.FilesManifest filesManifest(ObjectStore store,
      RepositoryConfig repo, String name, String id) {
    return Manifests.read(store, io.lifeboat.backup.files.ResticTarget.manifestKey(repo, name, id),
        io.lifeboat.backup.files.FilesManifest.class);
  }

  /** Ids of the directories under root that hold their manifest.json (committed backups). */
  private static List<String> committedDirs(ObjectStore store, String root) {
    return io.lifeboat.repository.Retention.directories(store, root).values().stream()
        .filter(io.lifeboat.repository.Retention.Dir::holdsManifest)
        .map(io.lifeboat.repository.Retention.Dir::id).toList();
  }

  /** The freshness limit of a kind (and, for drills, of the cadence named by the source). */
  static long maxAgeHours(ChecksConfig limits, CheckSource source) {
    return switch (source.kind()) {
      case LifeboatSearchAttributes.KIND_DB_BASE -> limits.baseMaxAgeHours();
      case LifeboatSearchAttributes.KIND_APP -> limits.appMaxAgeHours();
      case LifeboatSearchAttributes.KIND_CONFIG -> limits.configMaxAgeHours();
      case LifeboatSearchAttributes.KIND_REDIS -> limits.redisMaxAgeHours();
      case LifeboatSearchAttributes.KIND_MARIADB -> limits.mariadbMaxAgeHours();
      case LifeboatSearchAttributes.KIND_OPENSEARCH -> limits.opensearchMaxAgeHours();
      case LifeboatSearchAttributes.KIND_FILES -> limits.filesMaxAgeHours();
      case LifeboatSearchAttributes.KIND_DRILL -> 24L * (("quarterly".equals(source.name())
          ? 92 : 31) + limits.drillGraceDays());
      default -> limits.maxAgeHours();
    };
  }

  public RepositoryChecker withLister(String kind, BackupLister lister) {
    listers.put(kind, lister);
    return this;
  }

  public RepositoryChecker withExtraCheck(ExtraCheck check) {
    extras.add(check);
    return this;
  }

  public CheckReport check(ObjectStore store, CheckRequest req) {
    List<SourceCheck> results = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>();
    for (CheckSource source : req.sources()) {
      BackupLister lister = listers.get(source.kind());
      if (lister == null) {
        throw FailureKind.CONFIG_INVALID.failure("no checker for backup kind " + source.kind());
      }
      List<String> ids = lister.backupIds(store, req.repository(), source.name()).stream()
          .filter(i -> parseId(i) != null).sorted().toList();
      List<Instant> times = ids.stream().map(RepositoryChecker::parseId).sorted().toList();
      List<Finding> findings = new ArrayList<>();
      // The newest id as stored (ids sort by time), so what the check names can be pasted into
      // recover/rollback; a unique id is not rebuilt from its time.
      SourceCheck c = judge(req, source, times, ids.isEmpty() ? null : ids.get(ids.size() - 1),
          findings);
      if (!ids.isEmpty()) {
        c = c.withNewest(times.get(times.size() - 1).toEpochMilli(),
            size(store, req.repository(), source, ids.get(ids.size() - 1)));
      }
      for (ExtraCheck extra : extras) {
        List<Finding> more = extra.check(store, req, source);
        findings.addAll(more);
        if (!more.isEmpty()) {
          List<String> problems = new ArrayList<>(c.problems());
          more.forEach(f -> problems.add(f.text()));
          c = new SourceCheck(c.kind(), c.source(), c.backups(), c.newestBackupId(),
              c.newestAgeSeconds(), c.fresh(), false, problems, c.newestAtMillis(),
              c.newestBytes());
        }
      }
      findings.forEach(f -> keys.add(f.key()));
      results.add(c);
    }
    boolean changed = req.remember() && remember(store, req.repository(), keys);
    if (req.remember() && req.reportsAuditDays() != null) {
      io.lifeboat.run.ReportRetention.prune(store, req.repository().prefix(),
          req.reportsAuditDays(), Instant.ofEpochMilli(req.nowMillis()));
    }
    return new CheckReport(req.nowMillis(), results, changed,
        req.remember() ? drillKpis(store, req) : null);
  }

  /**
   * The drill KPIs from the stored drill reports, for the scheduled check's gauges; a cadence
   * can be overdue only when the request checks it (its schedule is set). Null when the
   * reports cannot be read: the KPIs are gauges beside the check, never a reason for it to fail.
   */
  static io.lifeboat.drill.DrillKpis drillKpis(ObjectStore store, CheckRequest req) {
    try {
      boolean monthly = req.sources().contains(
          new CheckSource(LifeboatSearchAttributes.KIND_DRILL, "monthly"));
      boolean quarterly = req.sources().contains(
          new CheckSource(LifeboatSearchAttributes.KIND_DRILL, "quarterly"));
      return io.lifeboat.drill.DrillStats.kpis(io.lifeboat.drill.DrillStats.compute(
          io.lifeboat.drill.DrillHistory.read(store, req.repository().prefix()),
          ZoneId.of(req.timezone()), monthly, quarterly, req.checks().drillGraceDays(),
          Instant.ofEpochMilli(req.nowMillis())));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The newest backup's size from its manifest; -1 when the kind states none or it is unread. */
  private long size(ObjectStore store, RepositoryConfig repo, CheckSource source, String id) {
    SizeReader reader = sizes.get(source.kind());
    if (reader == null) return -1;
    try {
      return reader.bytes(store, repo, source.name(), id);
    } catch (RuntimeException e) {
      return -1; // the size is a gauge beside the check, never a reason for it to fail
    }
  }

  static SourceCheck judge(CheckRequest req, CheckSource source, List<Instant> times,
      List<Finding> findings) {
    return judge(req, source, times, null, findings);
  }

  /** @param newestId the newest backup's id as stored; null: formatted from its time */
  static SourceCheck judge(CheckRequest req, CheckSource source, List<Instant> times,
      String newestId, List<Finding> findings) {
    ChecksConfig limits = req.checks();
    Instant now = Instant.ofEpochMilli(req.nowMillis());
    String who = source.name() + " (" + source.kind() + ")";
    String id = source.kind() + "/" + source.name();
    List<String> problems = new ArrayList<>();
    boolean drill = LifeboatSearchAttributes.KIND_DRILL.equals(source.kind());
    long maxAge = maxAgeHours(limits, source);
    if (times.isEmpty()) {
      String text = drill ? who + ": no " + source.name() + " drill has succeeded (no stored"
          + " report); the drill is overdue" : who + ": no committed backup in the repository";
      problems.add(text);
      findings.add(new Finding(id + ":none", text));
      return new SourceCheck(source.kind(), source.name(), 0, null, -1, false, true, problems);
    }
    Instant newest = times.get(times.size() - 1);
    String newestName = newestId != null ? newestId : format(newest);
    // The whole seconds of the real age: a unique id's time has milliseconds, and subtracting
    // the two times' whole seconds instead made a backup taken at 09:00:00.900 a full second
    // older at 10:00:00.000 the next day (stale at exactly 25 h although 0.9 s short of it).
    long age = Math.max(0, java.time.Duration.between(newest, now).getSeconds());
    boolean fresh = age < maxAge * 3600L;
    if (!fresh) {
      String text = drill ? String.format("%s: the last %s drill that succeeded finished %s ago"
          + " (at %s): overdue (limit %dh)", who, source.name(), hours(age), newestName, maxAge)
          : String.format("%s: newest backup %s is %s old (limit %dh)", who, newestName,
              hours(age), maxAge);
      problems.add(text);
      findings.add(new Finding(id + ":stale:" + newestName, text));
    }

    ZoneId zone = ZoneId.of(req.timezone());
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate first = LocalDate.ofInstant(times.get(0), zone);
    TreeSet<LocalDate> days = new TreeSet<>();
    times.forEach(t -> days.add(LocalDate.ofInstant(t, zone)));
    List<String> missing = new ArrayList<>();
    boolean periods = LifeboatSearchAttributes.KIND_DB_FULL.equals(source.kind());
    // Completed periods only; periods wholly before the first backup are not due yet. The
    // day/week/month requirements are written for database dumps alone.
    for (int i = 1; periods && i <= limits.daily(); i++) {
      LocalDate d = today.minusDays(i);
      if (!d.isBefore(first) && !days.contains(d)) missing.add("day " + d);
    }
    LocalDate monday = today.with(DayOfWeek.MONDAY);
    for (int i = 1; periods && i <= limits.weekly(); i++) {
      LocalDate from = monday.minusWeeks(i);
      LocalDate to = from.plusDays(6);
      if (!to.isBefore(first) && days.subSet(from, true, to, true).isEmpty()) {
        missing.add("week of " + from);
      }
    }
    YearMonth month = YearMonth.from(today);
    for (int i = 1; periods && i <= limits.monthly(); i++) {
      YearMonth m = month.minusMonths(i);
      if (!m.atEndOfMonth().isBefore(first)
          && days.subSet(m.atDay(1), true, m.atEndOfMonth(), true).isEmpty()) {
        missing.add("month " + m);
      }
    }
    if (!missing.isEmpty()) {
      String text = String.format("%s: no backup for %s (required: %d daily, %d weekly,"
          + " %d monthly)", who, String.join(", ", missing), limits.daily(), limits.weekly(),
          limits.monthly());
      problems.add(text);
      findings.add(new Finding(id + ":missing:" + String.join(",", missing), text));
    }
    return new SourceCheck(source.kind(), source.name(), times.size(), newestName, age, fresh,
        missing.isEmpty(), problems);
  }

  /** Stores the finding keys; true when they differ from the ones stored before. */
  private static boolean remember(ObjectStore store, RepositoryConfig repo, TreeSet<String> keys) {
    String key = RepositoryLayout.latestCheckKey(repo.prefix());
    TreeSet<String> before = new TreeSet<>();
    if (store.exists(key)) {
      before.addAll(List.of(Manifests.read(store, key, Remembered.class).findings()));
    }
    try {
      store.put(key, Manifests.JSON.writeValueAsBytes(new Remembered(keys.toArray(String[]::new))),
          "application/json");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return !before.equals(keys);
  }

  record Remembered(String[] findings) {}

  /** Either id shape (RepositoryLayout.backupTime); null for what is not a backup id. */
  static Instant parseId(String id) {
    return RepositoryLayout.backupTime(id).orElse(null);
  }

  private static String format(Instant t) {
    return RepositoryLayout.backupId(t.toEpochMilli());
  }

  /** "26.3h" under three days, else "4d 2h": what an operator reads at a glance. */
  static String hours(long seconds) {
    if (seconds < 72 * 3600) return String.format(java.util.Locale.ROOT, "%.1fh", seconds / 3600.0);
    return (seconds / 86400) + "d " + (seconds % 86400 / 3600) + "h";
  }
}
