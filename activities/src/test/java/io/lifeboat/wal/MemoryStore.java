package io.lifeboat.wal;

import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** An in-memory repository for unit tests of the archive logic (S3 itself is tested e2e). */
public final class MemoryStore implements ObjectStore {
  /** @param stored when it was written, to the whole second, as S3 reports LastModified */
  record Obj(byte[] body, Map<String, String> meta, Instant stored) {
    Obj(byte[] body, Map<String, String> meta) {
      this(body, meta, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
  }

  final ConcurrentSkipListMap<String, Obj> objects = new ConcurrentSkipListMap<>();
  volatile FailureKind refuseWith;
  /** Every key deleted, in order (deleting what is not there counts too). */
  public final List<String> deletes = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** A delete of a key this matches fails (an outage between two deletes); null: none fails. */
  public volatile java.util.function.Predicate<String> failDelete;
  /** Listing unfinished uploads fails with this kind; null: it succeeds. */
  public volatile FailureKind refuseUploadListing;
  /** What {@link #head} reports as LastModified; null: the write's whole second, as S3 does. */
  public volatile Instant lastModified;

  private void check() {
    if (refuseWith != null) throw new StorageException(refuseWith, "refused: " + refuseWith, null);
  }

  /** Stores an object as a writer that predates some metadata would have. */
  public void putWithMetadata(String key, byte[] content, Map<String, String> metadata) {
    objects.put(key, new Obj(content, Map.copyOf(metadata)));
  }

  @Override
  public void put(String key, byte[] content, String contentType) {
    check();
    objects.put(key, new Obj(content, Map.of()));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    check();
    return objects.putIfAbsent(key, new Obj(content, Map.copyOf(metadata))) == null;
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    check();
    Obj o = objects.get(key);
    return o == null ? Optional.empty()
        : Optional.of(new ObjectInfo(key, o.body().length,
            lastModified != null ? lastModified : o.stored(), o.meta()));
  }

  @Override
  public InputStream get(String key) {
    check();
    Obj o = objects.get(key);
    if (o == null) throw new StorageException(FailureKind.BACKUP_NOT_FOUND, key, null);
    return new ByteArrayInputStream(o.body());
  }

  @Override
  public boolean exists(String key) {
    return objects.containsKey(key);
  }

  @Override
  public List<String> list(String prefix) {
    return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
  }

  @Override
  public void delete(String key) {
    java.util.function.Predicate<String> fail = failDelete;
    if (fail != null && fail.test(key)) {
      throw new StorageException(FailureKind.S3_UNAVAILABLE, "refused delete of " + key, null);
    }
    deletes.add(key);
    objects.remove(key);
  }

  /** An open multipart upload: its key and its parts by number. */
  private record Open(String key, java.util.TreeMap<Integer, byte[]> parts) {}

  /** Open multipart uploads by upload id. */
  private final Map<String, Open> uploads = new java.util.concurrent.ConcurrentHashMap<>();
  /** Multipart completions left before each further one fails in transit; negative: no limit. */
  public volatile int completionsLeft = -1;

  @Override
  public String startUpload(String key) {
    check();
    String id = java.util.UUID.randomUUID().toString();
    uploads.put(id, new Open(key, new java.util.TreeMap<>()));
    return id;
  }

  @Override
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
    check();
    uploads.get(uploadId).parts().put(partNumber, java.util.Arrays.copyOf(data, length));
    return "etag-" + partNumber;
  }

  @Override
  public void completeUpload(String key, String uploadId, List<String> etags) {
    check();
    if (completionsLeft == 0) {
      throw new StorageException(FailureKind.S3_UNAVAILABLE, "completion lost in transit", null);
    }
    if (completionsLeft > 0) completionsLeft--;
    var body = new java.io.ByteArrayOutputStream();
    uploads.remove(uploadId).parts().values().forEach(body::writeBytes);
    objects.put(key, new Obj(body.toByteArray(), Map.of()));
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    uploads.remove(uploadId);
  }

  @Override
  public int abortUploads(String prefix) {
    if (refuseUploadListing != null) {
      throw new StorageException(refuseUploadListing, "refused: " + refuseUploadListing, null);
    }
    List<PendingUpload> open = pendingUploads(prefix);
    open.forEach(u -> abortUpload(u.key(), u.uploadId()));
    return open.size();
  }

  @Override
  public List<PendingUpload> pendingUploads(String prefix) {
    return uploads.entrySet().stream().filter(e -> e.getValue().key().startsWith(prefix))
        .map(e -> new PendingUpload(e.getValue().key(), e.getKey())).toList();
  }

  @Override
  public void close() {}
}
