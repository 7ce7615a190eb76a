package io.lifeboat.backup.base;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of base backups, through {@link Retention} (the rule every kind shares), and then
 * of the WAL that no kept base backup needs any more.
 */
final class BaseRetention {
  private static final Logger log = LoggerFactory.getLogger(BaseRetention.class);

  private BaseRetention() {}

  static BaseRetentionResult apply(ObjectStore store, BaseRetentionRequest req) {
    RepositoryConfig repo = req.repository();
    // Base backups: a backup's time is when it finished (its manifest); the newest
    // baseRetentionCount are kept however old; committed means a readable manifest.json;
    // leftovers of failed runs go after a day (by their id's time).
    // Every manifest is read before anything is deleted: an unreadable one fails the run.
    String root = RepositoryLayout.baseBackupsRoot(repo.prefix(), req.database());
    BaseBackups backups = new BaseBackups(store, repo.prefix(), req.database());
    Map<String, BaseBackupManifest> manifests = new java.util.HashMap<>();
    for (Retention.Dir d : Retention.directories(store, root).values()) {
      if (d.holdsManifestAnywhere()) backups.read(d.id()).ifPresent(m -> manifests.put(d.id(), m));
    }
    Retention.Outcome outcome = Retention.apply(store, root,
        Instant.ofEpochMilli(req.nowMillis()),
        new Retention.Policy(req.wal().baseRetentionCount(),
            Duration.ofDays(req.wal().baseRetentionDays()), Duration.ofDays(1), req.keep(),
            Retention.zone(req.timezone())),
        d -> manifests.containsKey(d.id()),
        d -> Optional.of(Instant.parse(manifests.get(d.id()).finishedAt())), LocalCopy.NONE,
        (id, committed) -> {
          if (committed) log.info("retention: removed base backup {} of {}", id, req.database());
        });
    List<String> expired = outcome.expired();
    List<BaseBackupManifest> kept = outcome.kept().stream().map(manifests::get).toList();
    if (kept.isEmpty()) {
      return new BaseRetentionResult(expired, null, 0);
    }
    // WAL is kept continuously from the oldest backup the count or the age keeps (point-in-time
    // recovery from it to now); a backup only GFS keeps (a monthly one from last year) keeps
    // only its own span, start to stop segment: enough to restore it to a consistent state, not
    // to replay the months after it. WAL that no span covers is needed by nobody: recovery
    // replays forward from a backup's start. Timeline history files always stay.
    List<BaseBackupManifest> window = outcome.kept().stream()
        .filter(id -> !outcome.keptByGfsOnly().contains(id)).map(manifests::get).toList();
    BaseBackupManifest oldest = window.isEmpty() ? kept.get(0) : window.get(0);
    long segSize = oldest.walSegmentSize();
    long keepFrom = WalNames.segmentNumber(oldest.startWalSegment(), segSize);
    List<long[]> spans = new java.util.ArrayList<>();
    for (String id : outcome.keptByGfsOnly()) {
      BaseBackupManifest m = manifests.get(id);
      long from = WalNames.segmentNumber(m.startWalSegment(), segSize);
      if (from >= keepFrom) continue;
      if (m.stopWalSegment() == null) {
        keepFrom = from; // no recorded stop (an old manifest): keep everything after its start
        oldest = m;
      } else {
        spans.add(new long[] {from, WalNames.segmentNumber(m.stopWalSegment(), segSize)});
      }
    }
    long continuousFrom = keepFrom;
    WalArchive archive = new WalArchive(store, repo.prefix(), req.database(),
        req.wal().compressionLevel());
    List<String> doomed = archive.list().stream()
        .filter(e -> !WalNames.isHistory(e.name()))
        .filter(e -> {
          long n = WalNames.segmentNumber(e.name().substring(0, 24), segSize);
          return n < continuousFrom && spans.stream().noneMatch(s -> n >= s[0] && n <= s[1]);
        })
        .map(WalArchive.Entry::key).toList();
    // A week of WAL is hundreds of objects: delete a few at a time, not one after another.
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(8);
    try {
      pool.submit(() -> doomed.parallelStream().forEach(store::delete)).get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.S3_UNAVAILABLE.failure("interrupted while expiring WAL");
    } finally {
      pool.shutdown();
    }
    int removed = doomed.size();
    if (removed > 0) {
      log.info("retention: removed {} WAL files of {} before {}", removed, req.database(),
          oldest.startWalSegment());
    }
    return new BaseRetentionResult(expired, oldest.startWalSegment(), removed);
  }
}
