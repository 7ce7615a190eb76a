package io.lifeboat.offsite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lifeboat.failure.ActivityFailures;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.offsite.CopyProgress;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.CopyRequest;
import io.lifeboat.offsite.CopyResult;
import io.lifeboat.offsite.LockStatus;
import io.lifeboat.offsite.OffsiteActivities;
import io.lifeboat.offsite.OffsiteLayout;
import io.lifeboat.offsite.OffsiteRetentionRequest;
import io.lifeboat.offsite.OffsiteRetentionResult;
import io.lifeboat.offsite.OffsiteScopes;
import io.lifeboat.offsite.VerifyCopyRequest;
import io.lifeboat.offsite.VerifyCopyResult;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class OffsiteActivitiesImpl implements OffsiteActivities, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OffsiteActivitiesImpl.class);

  private final StoreFactory stores;
  private final Secrets secrets;
  private final Map<OffsiteConfig, CopyBucket> buckets = new ConcurrentHashMap<>();
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Object Lock absence is said once per bucket, not on every copy. */
  private final Map<String, Boolean> lockNoted = new ConcurrentHashMap<>();

  public OffsiteActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.secrets = secrets;
  }

  CopyBucket bucket(OffsiteConfig offsite) {
    return buckets.computeIfAbsent(offsite, o -> CopyBucket.open(o, secrets));
  }

  @Override
  public LockStatus probeLock(OffsiteConfig offsite) {
    return typed(() -> {
      LockStatus status = bucket(offsite).probeLock();
      if (LockStatus.UNAVAILABLE.equals(status.state())
          && lockNoted.putIfAbsent(offsite.endpoint() + "/" + offsite.bucket(), true) == null) {
        log.warn("offsite {} bucket {}: Object Lock {} is configured but unavailable ({});"
            + " copies are stored without a lock", offsite.endpoint(), offsite.bucket(),
            status.mode(), status.reason());
      }
      return status;
    });
  }

  @Override
  public CopyResult copy(CopyRequest request) {
    return typed(() -> {
      var primary = stores.forRepository(request.primary());
      CopyBucket offsite = bucket(request.offsite());
      CopyResult r = new ScopeCopy(primary, offsite, request.primary().prefix(),
          request.scope(), request.lock(), heartbeat()).run();
      String database = OffsiteScopes.walDatabase(request.scope());
      if (database == null) return r;
      // Listed again after the copy: segments archived while it ran count as lag.
      return r.withWalNewest(
          newestWritten(primary, request.primary().prefix(), database),
          newestWritten(offsite, request.offsite().prefixOr(request.primary().prefix()),
              database));
    });
  }

  /**
   * Copies what the offsite lacks under one scope, outside the offsite copy workflow: a run
   * report as soon as it is stored ({@code ReportActivitiesImpl}). The same copy as
   * {@link #copy}, under the bucket's Object Lock as probed now; throws on any failure.
   */
  public CopyResult copyNow(io.lifeboat.config.RepositoryConfig primary, OffsiteConfig offsite, String scope) {
    CopyBucket bucket = bucket(offsite);
    return new ScopeCopy(stores.forRepository(primary), bucket, primary.prefix(), scope,
        bucket.probeLock(), p -> { }).run();
  }

  /** The newest segment's recorded write time (else its store time), null for no segment. */
  static Long newestWritten(io.lifeboat.storage.ObjectStore store, String prefix,
      String database) {
    io.lifeboat.wal.WalArchive archive = new io.lifeboat.wal.WalArchive(store, prefix, database, 3);
    return archive.newestSegment(16L * 1024 * 1024)
        .flatMap(archive::coveredUntil).map(java.time.Instant::toEpochMilli).orElse(null);
  }

  @Override
  public VerifyCopyResult verify(VerifyCopyRequest request) {
    return typed(() -> {
      OffsiteVerifier verifier =
          new OffsiteVerifier(bucket(request.offsite()), request.primaryPrefix(), true);
      List<String> keys = request.keys() != null ? request.keys()
          : verifier.allUnder(request.scope());
      VerifyCopyResult r = verifier.verify(request.scope(), keys, heartbeat());
      if (!r.mismatches().isEmpty()) {
        throw FailureKind.OFFSITE_VERIFY_FAILED.failure(r.mismatches().size()
            + " offsite object(s) under " + request.scope() + " failed verification: "
            + String.join("; ", r.mismatches().subList(0, Math.min(3, r.mismatches().size()))));
      }
      return r;
    });
  }

  @Override
  public OffsiteRetentionResult applyRetention(OffsiteRetentionRequest request) {
    return typed(() -> {
      if (OffsiteScopes.isOneByOne(request.scope())) {
        // Reports are kept for the audit, not by backup retention (see below for WAL).
        // WAL is kept offsite: deciding which segments no kept base backup needs is the WAL
        // check's job on the primary, and an offsite archive with a gap is worse than a big one.
        return new OffsiteRetentionResult(List.of(), List.of());
      }
      CopyBucket dst = bucket(request.offsite());
      String op = request.offsite().prefixOr(request.primaryPrefix());
      Map<String, List<String>> objectsByDir = new TreeMap<>();
      for (String k : dst.list(OffsiteLayout.join(op, request.scope()))) {
        String rel = OffsiteLayout.relative(op, k);
        objectsByDir.computeIfAbsent(OffsiteLayout.dir(rel), d -> new ArrayList<>()).add(rel);
      }
      // Backups by source root: db/X/full/, db/X/base/, app/A/, config/.
      Map<String, List<String>> idsByRoot = new TreeMap<>();
      for (var e : objectsByDir.entrySet()) {
        if (e.getValue().stream().noneMatch(OffsiteLayout::isManifest)) continue;
        String dir = e.getKey().substring(0, e.getKey().length() - 1);
        int slash = dir.lastIndexOf('/');
        if (slash < 0) continue;
        idsByRoot.computeIfAbsent(dir.substring(0, slash + 1), r -> new ArrayList<>())
            .add(dir.substring(slash + 1));
      }
      Instant now = Instant.ofEpochMilli(request.nowMillis());
      List<String> expired = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      var policy = request.offsite().retention();
      for (var root : idsByRoot.entrySet()) {
        for (String id : OffsiteRetentionPolicy.expire(root.getValue(), now, policy.days(),
            policy.monthly())) {
          String dir = root.getKey() + id + "/";
          String manifest = dir + RepositoryLayout.MANIFEST;
          // Not even tried while any object of the copy is locked: the server would refuse
          // some deletes and leave a backup without its manifest. The lock is judged by this
          // machine's clock, the one nearest the server's (the request's "now" decides only
          // which copies the policy expires, and may be moved).
          Optional<CopyBucket.Lock> lock = strictestLock(dst, op, objectsByDir.get(dir));
          if (lock.isPresent() && lock.get().retainUntil().isAfter(Instant.now())) {
            skipped.add(dir + ": kept by Object Lock (" + lock.get().describe() + ")");
            continue;
          }
          try {
            // The manifest first: a half-deleted backup is then an incomplete one, never listed.
            dst.delete(OffsiteLayout.join(op, manifest));
            for (String rel : objectsByDir.get(dir)) {
              if (!rel.equals(manifest)) dst.delete(OffsiteLayout.join(op, rel));
            }
            expired.add(dir);
          } catch (StorageException e) {
            skipped.add(dir + ": " + e.getMessage());
          }
        }
      }
      return new OffsiteRetentionResult(expired, skipped);
    });
  }

  /** The lock that holds longest over the objects (and their versions) of one copy. */
  private static Optional<CopyBucket.Lock> strictestLock(CopyBucket dst, String prefix,
      List<String> objects) {
    Optional<CopyBucket.Lock> strictest = Optional.empty();
    for (String rel : objects) {
      Optional<CopyBucket.Lock> l = dst.lock(OffsiteLayout.join(prefix, rel));
      if (l.isPresent() && (strictest.isEmpty()
          || l.get().retainUntil().isAfter(strictest.get().retainUntil()))) {
        strictest = l;
      }
    }
    return strictest;
  }

  @Override
  public void record(OffsiteConfig offsite, String primaryPrefix, CopyRecord record) {
    typed(() -> {
      String key = OffsiteLayout.recordKey(offsite.prefixOr(primaryPrefix), record.kind(),
          record.source(), Instant.parse(record.startedAt()).toEpochMilli(), record.workflowId());
      try {
        bucket(offsite).put(key, json.writeValueAsBytes(record), "application/json", Map.of(),
            null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return null;
    });
  }

  private static Consumer<CopyProgress> heartbeat() {
    var ctx = Activity.getExecutionContext();
    return ctx::heartbeat;
  }

  private static <T> T typed(Supplier<T> body) {
    return ActivityFailures.typed(() -> {
      try {
        return body.get();
      } catch (UncheckedIOException e) {
        throw FailureKind.OFFSITE_UNAVAILABLE.failure("offsite copy I/O failed: "
            + e.getCause().getMessage());
      }
    });
  }

  @Override
  public void close() {
    buckets.values().forEach(CopyBucket::close);
    buckets.clear();
  }
}
