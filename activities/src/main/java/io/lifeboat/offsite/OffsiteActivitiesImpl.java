package io.lifeboat.offsite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lifeboat.ActivityFailures;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.workflows.common.FailureKind;
import io.lifeboat.workflows.common.RepositoryLayout;
import io.lifeboat.workflows.offsite.CopyProgress;
import io.lifeboat.workflows.offsite.CopyRecord;
import io.lifeboat.workflows.offsite.CopyRequest;
import io.lifeboat.workflows.offsite.CopyResult;
import io.lifeboat.workflows.offsite.LockStatus;
import io.lifeboat.workflows.offsite.OffsiteActivities;
import io.lifeboat.workflows.offsite.OffsiteLayout;
import io.lifeboat.workflows.offsite.OffsiteRetentionRequest;
import io.lifeboat.workflows.offsite.OffsiteRetentionResult;
import io.lifeboat.workflows.offsite.OffsiteScopes;
import io.lifeboat.workflows.offsite.VerifyCopyRequest;
import io.lifeboat.workflows.offsite.VerifyCopyResult;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
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
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final Secrets secrets;
  private final Map<OffsiteConfig, OffsiteBucket> buckets = new ConcurrentHashMap<>();
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Object Lock absence is said once per bucket, not on every copy. */
  private final Map<String, Boolean> lockNoted = new ConcurrentHashMap<>();

  public OffsiteActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.secrets = secrets;
  }

  OffsiteBucket bucket(OffsiteConfig offsite) {
    return buckets.computeIfAbsent(offsite, o -> new OffsiteBucket(o, secrets));
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
    return typed(() -> new ScopeCopy(stores.forRepository(request.primary()),
        bucket(request.offsite()), request.primary().prefix(), request.scope(), request.lock(),
        heartbeat()).run());
  }

  @Override
  public VerifyCopyResult verify(VerifyCopyRequest request) {
    return typed(() -> {
      OffsiteBucket dst = bucket(request.offsite());
      String op = request.offsite().prefixOr(request.primaryPrefix());
      List<String> keys = request.keys();
      if (keys == null) {
        keys = new ArrayList<>();
        for (String k : dst.list(OffsiteLayout.join(op, request.scope()))) {
          keys.add(OffsiteLayout.relative(op, k));
        }
      }
      Consumer<CopyProgress> beat = heartbeat();
      List<String> mismatches = new ArrayList<>();
      Map<String, String> actual = new TreeMap<>();
      long read = 0;
      int checked = 0;
      for (String rel : keys) {
        String key = OffsiteLayout.join(op, rel);
        beat.accept(new CopyProgress(request.scope(), checked, 0, read, rel));
        var info = dst.head(key);
        if (info.isEmpty()) {
          mismatches.add(rel + ": missing");
          continue;
        }
        String recorded = info.get().metadata().get(OffsiteLayout.META_COPY_SHA256);
        MessageDigest md = ScopeCopy.digest();
        try (InputStream in = dst.get(key)) {
          byte[] buf = new byte[CHUNK];
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            read += n;
            beat.accept(new CopyProgress(request.scope(), checked, 0, read, rel));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        String sha = HexFormat.of().formatHex(md.digest());
        actual.put(rel, sha);
        checked++;
        if (recorded == null) {
          mismatches.add(rel + ": no " + OffsiteLayout.META_COPY_SHA256 + " recorded");
        } else if (!recorded.equals(sha)) {
          mismatches.add(rel + ": SHA-256 " + sha + ", copied as " + recorded);
          discard(dst, op, rel);
        }
      }
      // A manifest's checksum must match the copy of the data object it names.
      for (String rel : keys) {
        if (!OffsiteLayout.isManifest(rel) || !actual.containsKey(rel)) continue;
        try (InputStream in = dst.get(OffsiteLayout.join(op, rel))) {
          JsonNode m = json.readTree(in);
          if (!m.hasNonNull("objectKey") || !m.hasNonNull("sha256")) continue;
          String data = OffsiteLayout.relative(request.primaryPrefix(), m.get("objectKey").asText());
          String have = actual.get(data);
          if (have == null) {
            have = dst.head(OffsiteLayout.join(op, data))
                .map(i -> i.metadata().get(OffsiteLayout.META_COPY_SHA256)).orElse(null);
          }
          if (have == null) {
            mismatches.add(data + ": named by " + rel + " but not in the offsite bucket");
          } else if (!have.equals(m.get("sha256").asText())) {
            mismatches.add(data + ": SHA-256 " + have + ", its manifest says "
                + m.get("sha256").asText());
            discard(dst, op, data);
          }
        } catch (IOException e) {
          mismatches.add(rel + ": not readable JSON (" + e.getMessage() + ")");
        }
      }
      if (!mismatches.isEmpty()) {
        throw FailureKind.OFFSITE_VERIFY_FAILED.failure(mismatches.size() + " offsite object(s)"
            + " under " + request.scope() + " failed verification: "
            + String.join("; ", mismatches.subList(0, Math.min(3, mismatches.size()))));
      }
      return new VerifyCopyResult(checked, read, mismatches);
    });
  }

  /**
   * A bad copy goes, and with it the manifest of its directory, so the offsite never shows a
   * committed backup whose data is wrong and the next sync copies both again. A lock that
   * refuses is logged: the object stays, still failing verification, until the lock runs out.
   */
  private static void discard(OffsiteBucket dst, String op, String rel) {
    for (String k : List.of(rel, OffsiteLayout.dir(rel) + RepositoryLayout.MANIFEST)) {
      try {
        dst.delete(OffsiteLayout.join(op, k));
      } catch (StorageException e) {
        log.warn("could not remove bad offsite copy {}: {}", k, e.getMessage());
      }
    }
  }

  @Override
  public OffsiteRetentionResult applyRetention(OffsiteRetentionRequest request) {
    return typed(() -> {
      if (OffsiteScopes.isWal(request.scope())) {
        // WAL is kept offsite: deciding which segments no kept base backup needs is the WAL
        // check's job on the primary, and an offsite archive with a gap is worse than a big one.
        return new OffsiteRetentionResult(List.of(), List.of());
      }
      OffsiteBucket dst = bucket(request.offsite());
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
          Optional<Instant> until = dst.lockedUntil(OffsiteLayout.join(op, manifest));
          if (until.isPresent() && until.get().isAfter(Instant.now())) {
            skipped.add(dir + ": Object Lock until " + until.get());
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

  @Override
  public void record(OffsiteConfig offsite, String primaryPrefix, CopyRecord record) {
    typed(() -> {
      String key = OffsiteLayout.recordKey(offsite.prefixOr(primaryPrefix), record.kind(),
          record.source(), Instant.parse(record.startedAt()).toEpochMilli());
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
    buckets.values().forEach(OffsiteBucket::close);
    buckets.clear();
  }
}
