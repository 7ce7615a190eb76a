package io.lifeboat.storage.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CloudStore;
import io.lifeboat.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Google Cloud Storage through the official client (JSON API). The S3 contract maps as follows:
 *
 * <ul>
 *   <li>conditional create: {@code ifGenerationMatch=0} ({@link Storage.BlobTargetOption#doesNotExist()}),
 *       412 when an object is there;
 *   <li>multipart upload: each part is a temporary object under {@value #UPLOADS}/KEY/UPLOAD_ID/,
 *       completed by server-side compose (at most 32 sources per call, so larger uploads compose in
 *       a tree) pinned to each part's generation, then the parts are deleted. Memory stays at the
 *       parts the caller holds; nothing is buffered here. Unfinished uploads are listable and
 *       abortable like S3's;
 *   <li>immutability is the bucket's retention policy (or an object hold), set by the operator on
 *       the bucket: this interface has no per-object lock, and a locked retention policy makes
 *       GCS refuse deletes and overwrites before the period ends.
 * </ul>
 */
public final class GcsObjectStore implements CloudStore {
  /** Where unfinished uploads keep their parts, outside every repository prefix. */
  public static final String UPLOADS = "_lifeboat-uploads/";
  private static final int COMPOSE_MAX = 32;

  private final Storage storage;
  private final String bucket;
  private final String where;

  public GcsObjectStore(RepositoryConfig repo) {
    RepositoryConfig.GcsConfig gcs = repo.gcs();
    StorageOptions.Builder b = StorageOptions.newBuilder();
    if (repo.endpoint() != null && !repo.endpoint().isBlank()) b.setHost(repo.endpoint());
    if (gcs != null && gcs.projectId() != null) b.setProjectId(gcs.projectId());
    String credentials = gcs == null ? null : gcs.credentialsFile();
    if (credentials == null || "none".equals(credentials)) {
      b.setCredentials(NoCredentials.getInstance());
    } else if (!"default".equals(credentials)) {
      try (InputStream in = Files.newInputStream(Path.of(credentials))) {
        b.setCredentials(GoogleCredentials.fromStream(in));
      } catch (IOException e) {
        throw new StorageException(FailureKind.S3_ACCESS_DENIED, "cannot read"
            + " repository.gcs.credentialsFile " + credentials + " ("
            + e.getClass().getSimpleName() + ")", null);
      }
    }
    this.storage = b.build().getService();
    this.bucket = repo.bucket();
    this.where = "GCS bucket " + bucket
        + (repo.endpoint() == null ? "" : " at " + repo.endpoint());
  }

  @Override
  public void put(String key, byte[] content, String contentType) {
    call("put " + key, () -> storage.create(info(key, contentType, Map.of()), content));
  }

  @Override
  public void put(String key, byte[] content, String contentType, Map<String, String> metadata) {
    call("put " + key, () -> storage.create(info(key, contentType, metadata), content));
  }

  @Override
  public void setMetadata(String key, Map<String, String> metadata) {
    call("set metadata of " + key, () -> storage.update(BlobInfo.newBuilder(BlobId.of(bucket, key))
        .setMetadata(metadata.isEmpty() ? null : metadata).build()));
  }

  @Override
  public Optional<Immutability> immutability(String key) {
    Blob blob = call("head " + key, () -> storage.get(BlobId.of(bucket, key)));
    if (blob == null) return Optional.empty();
    boolean hold = Boolean.TRUE.equals(blob.getTemporaryHold())
        || Boolean.TRUE.equals(blob.getEventBasedHold());
    Instant until = blob.getRetentionExpirationTimeOffsetDateTime() == null ? null
        : blob.getRetentionExpirationTimeOffsetDateTime().toInstant();
    if (until == null && !hold) return Optional.empty();
    return Optional.of(new Immutability(hold ? "object hold" : "retention policy",
        until == null ? Instant.MAX : until, hold, 0));
  }

  @Override
  public Optional<Immutability> containerImmutability() {
    com.google.cloud.storage.Bucket b = call("get bucket", () -> storage.get(bucket));
    if (b == null) {
      throw new StorageException(FailureKind.S3_NO_SUCH_BUCKET,
          "GCS bucket " + bucket + " does not exist (" + where + ")", null);
    }
    java.time.Duration period = b.getRetentionPeriodDuration();
    if (period == null || period.isZero()) return Optional.empty();
    return Optional.of(new Immutability(Boolean.TRUE.equals(b.retentionPolicyIsLocked())
        ? "locked retention policy" : "retention policy", Instant.now().plus(period), false,
        period.toDays()));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    try {
      storage.create(info(key, contentType, metadata), content,
          Storage.BlobTargetOption.doesNotExist());
      return true;
    } catch (com.google.cloud.storage.StorageException e) {
      if (e.getCode() == 412) return false;
      // An answer lost after the write landed: the object is there now, the caller compares.
      if (e.getCode() == 0 && head(key).isPresent()) return false;
      throw classify("put " + key, e);
    }
  }

  private BlobInfo info(String key, String contentType, Map<String, String> metadata) {
    return BlobInfo.newBuilder(BlobId.of(bucket, key)).setContentType(contentType)
        .setMetadata(metadata.isEmpty() ? null : metadata).build();
  }

  @Override
  public InputStream get(String key) {
    Blob blob = call("get " + key, () -> storage.get(BlobId.of(bucket, key)));
    if (blob == null) {
      throw new StorageException(FailureKind.BACKUP_NOT_FOUND, "not in the repository: get "
          + key, null);
    }
    // Pinned to the generation just seen: an overwrite mid-read fails instead of mixing.
    ReadChannel reader = storage.reader(BlobId.of(bucket, key, blob.getGeneration()));
    reader.setChunkSize(2 * 1024 * 1024);
    return Channels.newInputStream(reader);
  }

  @Override
  public boolean exists(String key) {
    return head(key).isPresent();
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    Blob blob = call("head " + key, () -> storage.get(BlobId.of(bucket, key)));
    if (blob == null) return Optional.empty();
    Instant modified = blob.getUpdateTimeOffsetDateTime() == null ? Instant.EPOCH
        : blob.getUpdateTimeOffsetDateTime().toInstant();
    Map<String, String> meta = new HashMap<>();
    if (blob.getMetadata() != null) {
      blob.getMetadata().forEach((k, v) -> { if (v != null) meta.put(k.toLowerCase(), v); });
    }
    return Optional.of(new ObjectInfo(key, blob.getSize(), modified, meta));
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>(listSizes(prefix).keySet());
    keys.sort(String::compareTo);
    return keys;
  }

  /** Keys with their sizes under a prefix (unfinished uploads' parts are not listed). */
  @Override
  public Map<String, Long> listSizes(String prefix) {
    return call("list " + prefix, () -> {
      Map<String, Long> out = new java.util.LinkedHashMap<>();
      for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
        if (!b.getName().startsWith(UPLOADS)) out.put(b.getName(), b.getSize());
      }
      return out;
    });
  }

  @Override
  public void delete(String key) {
    call("delete " + key, () -> storage.delete(BlobId.of(bucket, key)));
  }

  @Override
  public String startUpload(String key) {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static String partsPrefix(String key, String uploadId) {
    return UPLOADS + key + "/" + uploadId + "/";
  }

  @Override
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
    String name = partsPrefix(key, uploadId) + String.format("%06d", partNumber);
    Blob part = call("upload part " + partNumber + " of " + key, () -> storage.create(
        BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), data, 0, length));
    return Long.toString(part.getGeneration());
  }

  @Override
  public void completeUpload(String key, String uploadId, List<String> etags) {
    String parts = partsPrefix(key, uploadId);
    List<BlobId> sources = new ArrayList<>();
    for (int i = 0; i < etags.size(); i++) {
      sources.add(BlobId.of(bucket, parts + String.format("%06d", i + 1),
          Long.parseLong(etags.get(i))));
    }
    int level = 0;
    while (sources.size() > COMPOSE_MAX) {
      List<BlobId> next = new ArrayList<>();
      for (int i = 0; i < sources.size(); i += COMPOSE_MAX) {
        String name = parts + "c" + level + "-" + String.format("%06d", i / COMPOSE_MAX);
        next.add(compose(sources.subList(i, Math.min(sources.size(), i + COMPOSE_MAX)),
            BlobInfo.newBuilder(BlobId.of(bucket, name)).build(), key));
      }
      sources = next;
      level++;
    }
    compose(sources, BlobInfo.newBuilder(BlobId.of(bucket, key))
        .setContentType("application/zstd").build(), key);
    abortUpload(key, uploadId);
  }

  private BlobId compose(List<BlobId> sources, BlobInfo target, String key) {
    Storage.ComposeRequest.Builder req = Storage.ComposeRequest.newBuilder().setTarget(target);
    for (BlobId s : sources) req.addSource(s.getName(), s.getGeneration());
    Blob out = call("complete upload " + key, () -> storage.compose(req.build()));
    return BlobId.of(bucket, out.getName(), out.getGeneration());
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    String parts = partsPrefix(key, uploadId);
    call("abort upload " + key, () -> {
      for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(parts)).iterateAll()) {
        storage.delete(b.getBlobId().getBucket(), b.getName());
      }
      return null;
    });
  }

  @Override
  public int abortUploads(String prefix) {
    int aborted = 0;
    for (PendingUpload u : pendingUploads(prefix)) {
      abortUpload(u.key(), u.uploadId());
      aborted++;
    }
    return aborted;
  }

  @Override
  public List<PendingUpload> pendingUploads(String prefix) {
    return call("list uploads " + prefix, () -> {
      java.util.LinkedHashSet<PendingUpload> out = new java.util.LinkedHashSet<>();
      for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(UPLOADS + prefix))
          .iterateAll()) {
        String rest = b.getName().substring(UPLOADS.length());
        int partSlash = rest.lastIndexOf('/');
        int idSlash = partSlash <= 0 ? -1 : rest.lastIndexOf('/', partSlash - 1);
        if (idSlash <= 0) continue;
        out.add(new PendingUpload(rest.substring(0, idSlash),
            rest.substring(idSlash + 1, partSlash)));
      }
      return new ArrayList<>(out);
    });
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      // nothing held that matters
    }
  }

  private <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (BaseServiceException e) {
      throw classify(what, e);
    }
  }

  private StorageException classify(String what, BaseServiceException e) {
    int code = e.getCode();
    String reason = e.getReason() == null ? "" : e.getReason();
    // A listing has no key to miss: its 404 is the bucket's. Elsewhere GCS says which.
    String message = String.valueOf(e.getMessage()).toLowerCase();
    if (code == 404 && (what.startsWith("list") || message.contains("bucket does not exist")
        || message.contains("bucket not found"))) {
      return new StorageException(FailureKind.S3_NO_SUCH_BUCKET,
          "GCS bucket " + bucket + " does not exist (" + where + ")", e);
    }
    if (code == 404) {
      return new StorageException(FailureKind.BACKUP_NOT_FOUND, "not in the repository: " + what,
          e);
    }
    if (code == 401 || code == 403) {
      return new StorageException(FailureKind.S3_ACCESS_DENIED, "GCS refused the credentials ("
          + code + " " + reason + ") at " + where + "; check repository.gcs.credentialsFile", e);
    }
    if (code == 0) {
      return new StorageException(FailureKind.S3_UNAVAILABLE, "GCS " + where
          + " is not answering (" + e.getMessage() + ")", e);
    }
    return new StorageException(FailureKind.S3_UNAVAILABLE, "GCS failed " + what + ": " + code
        + " " + reason + " at " + where, e);
  }
}
