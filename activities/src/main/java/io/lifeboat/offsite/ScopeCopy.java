package io.lifeboat.offsite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.ObjectStore.ObjectInfo;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.offsite.CopyProgress;
import io.lifeboat.offsite.CopyResult;
import io.lifeboat.offsite.LockStatus;
import io.lifeboat.offsite.OffsiteLayout;
import io.lifeboat.offsite.OffsiteScopes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Copies one scope from the primary to the offsite bucket: what the offsite lacks, never what
 * it has (same size and the same SHA-256 recorded at copy time, and for a backup's data object
 * the SHA-256 its manifest names). A backup directory is copied only when the primary holds its
 * manifest, data first and the manifest last, so an offsite manifest always means the data
 * before it was copied whole. Nothing is ever deleted here: an object gone from the primary
 * stays offsite (only the offsite retention removes copies).
 */
final class ScopeCopy {
  private static final int CHUNK = 1 << 20;
  /** Unfinished uploads older than this were left by a crashed attempt, not by a running one. */
  private static final Duration STALE_UPLOAD = Duration.ofHours(24);

  private final ObjectStore primary;
  private final CopyBucket offsite;
  private final String primaryPrefix;
  private final String offsitePrefix;
  private final String scope;
  private final LockStatus lock;
  private final int partSize;
  private final Consumer<CopyProgress> heartbeat;
  private final ObjectMapper json = new ObjectMapper();

  private int copied;
  private int skipped;
  private long bytes;
  private final List<String> copiedKeys = new ArrayList<>();
  private final List<String> backupsCopied = new ArrayList<>();
  private final List<String> incomplete = new ArrayList<>();

  ScopeCopy(ObjectStore primary, CopyBucket offsite, String primaryPrefix, String scope,
      LockStatus lock, Consumer<CopyProgress> heartbeat) {
    this.primary = primary;
    this.offsite = offsite;
    this.primaryPrefix = primaryPrefix;
    this.offsitePrefix = offsite.config().prefixOr(primaryPrefix);
    this.scope = scope;
    this.lock = lock;
    this.partSize = offsite.config().partSizeMb() * 1024 * 1024;
    this.heartbeat = heartbeat;
  }

  CopyResult run() {
    offsite.abortUploadsStartedBefore(OffsiteLayout.join(offsitePrefix, scope),
        Instant.now().minus(STALE_UPLOAD));
    Map<String, List<String>> byDir = new TreeMap<>();
    for (String key : primary.list(OffsiteLayout.join(primaryPrefix, scope))) {
      String rel = OffsiteLayout.relative(primaryPrefix, key);
      byDir.computeIfAbsent(OffsiteLayout.dir(rel), d -> new ArrayList<>()).add(rel);
    }
    Map<String, Long> there = new HashMap<>();
    offsite.listSizes(OffsiteLayout.join(offsitePrefix, scope))
        .forEach((k, size) -> there.put(OffsiteLayout.relative(offsitePrefix, k), size));
    for (var entry : byDir.entrySet()) {
      String dir = entry.getKey();
      List<String> keys = entry.getValue();
      if (OffsiteScopes.isOneByOne(dir)) {
        for (String rel : keys) copyOne(rel, null, null, there);
        continue;
      }
      String manifest = keys.stream().filter(OffsiteLayout::isManifest).findFirst().orElse(null);
      if (manifest == null) {
        incomplete.add(dir);
        continue;
      }
      byte[] manifestBytes = readAll(primary.get(OffsiteLayout.join(primaryPrefix, manifest)));
      Map<String, String> declared = declaredChecksums(manifestBytes);
      for (String rel : keys) {
        if (!rel.equals(manifest)) copyOne(rel, declared.get(rel), null, there);
      }
      if (copyOne(manifest, null, manifestBytes, there)) backupsCopied.add(dir);
    }
    boolean truncated = copiedKeys.size() > CopyResult.MAX_KEYS;
    return new CopyResult(scope, copied, skipped, bytes,
        truncated ? copiedKeys.subList(0, CopyResult.MAX_KEYS) : copiedKeys, backupsCopied,
        incomplete, truncated);
  }

  /** The data object a manifest names (objectKey, relative) and its SHA-256. */
  private Map<String, String> declaredChecksums(byte[] manifest) {
    Map<String, String> out = new HashMap<>();
    try {
      JsonNode m = json.readTree(manifest);
      if (m.hasNonNull("objectKey") && m.hasNonNull("sha256")) {
        out.put(OffsiteLayout.relative(primaryPrefix, m.get("objectKey").asText()),
            m.get("sha256").asText());
      }
    } catch (IOException e) {
      // A manifest we cannot read is still copied byte for byte; its data is checked by size.
    }
    return out;
  }

  /** @return true when the object was written, false when the offsite already had it */
  private boolean copyOne(String rel, String expectedSha, byte[] preloaded,
      Map<String, Long> there) {
    String srcKey = OffsiteLayout.join(primaryPrefix, rel);
    String dstKey = OffsiteLayout.join(offsitePrefix, rel);
    heartbeat.accept(new CopyProgress(scope, copied, skipped, bytes, rel));
    ObjectInfo src = primary.head(srcKey).orElse(null);
    if (src == null) return false; // removed from the primary since the listing (its retention)
    String preloadedSha = preloaded == null ? null : sha256(preloaded);
    Long size = there.get(rel);
    if (size != null && size == src.size()) {
      String recorded = offsite.head(dstKey).map(i -> i.metadata().get(OffsiteLayout.META_COPY_SHA256))
          .orElse(null);
      String want = preloadedSha != null ? preloadedSha : expectedSha;
      if (recorded != null && (want == null || want.equals(recorded))) {
        skipped++;
        return false;
      }
    }
    Map<String, String> metadata = new HashMap<>(src.metadata());
    metadata.remove(OffsiteLayout.META_COPY_SHA256);
    String contentType = rel.endsWith(".json") ? "application/json" : "application/octet-stream";
    if (preloaded != null || src.size() <= partSize) {
      byte[] content = preloaded != null ? preloaded : readAll(primary.get(srcKey));
      String sha = preloadedSha != null ? preloadedSha : sha256(content);
      refuseCorrupt(rel, expectedSha, sha);
      metadata.put(OffsiteLayout.META_COPY_SHA256, sha);
      offsite.put(dstKey, content, contentType, metadata, lock);
      bytes += content.length;
    } else {
      // The checksum goes into the metadata when the upload starts, before the bytes are read:
      // the manifest's when it names one, else a first pass over the object.
      String sha = expectedSha != null ? expectedSha : streamSha(srcKey, rel);
      metadata.put(OffsiteLayout.META_COPY_SHA256, sha);
      bytes += upload(srcKey, dstKey, rel, contentType, metadata, sha);
    }
    copied++;
    copiedKeys.add(rel);
    heartbeat.accept(new CopyProgress(scope, copied, skipped, bytes, rel));
    return true;
  }

  private long upload(String srcKey, String dstKey, String rel, String contentType,
      Map<String, String> metadata, String sha) {
    String uploadId = offsite.startUpload(dstKey, contentType, metadata, lock);
    long base = bytes;
    PartUploader up = new PartUploader(offsite, dstKey, uploadId, partSize, 0, null,
        () -> heartbeat.accept(new CopyProgress(scope, copied, skipped, base, rel)));
    try (InputStream in = primary.get(srcKey)) {
      byte[] buf = new byte[CHUNK];
      long done = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        up.write(buf, 0, n);
        done += n;
        heartbeat.accept(new CopyProgress(scope, copied, skipped, base + done, rel));
      }
      List<String> etags = up.finish();
      refuseCorrupt(rel, sha, up.sha256Hex());
      offsite.completeUpload(dstKey, uploadId, etags);
      return up.storedBytes();
    } catch (IOException | RuntimeException e) {
      up.cancel();
      offsite.abortUpload(dstKey, uploadId);
      if (e instanceof IOException io) throw new UncheckedIOException(io);
      throw (RuntimeException) e;
    }
  }

  private static void refuseCorrupt(String rel, String expected, String actual) {
    if (expected != null && !expected.equals(actual)) {
      throw FailureKind.BACKUP_CORRUPT.failure("the primary's " + rel + " has SHA-256 " + actual
          + " but its manifest says " + expected + "; not copied offsite");
    }
  }

  private String streamSha(String srcKey, String rel) {
    MessageDigest md = digest();
    try (InputStream in = primary.get(srcKey)) {
      byte[] buf = new byte[CHUNK];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        heartbeat.accept(new CopyProgress(scope, copied, skipped, bytes, rel));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
