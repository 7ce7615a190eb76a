package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CloudStore;
import io.lifeboat.storage.StorageException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A copy repository on Google Cloud Storage or Azure Blob: the primary's object store of that
 * type ({@link io.lifeboat.storage.gcs.GcsObjectStore}, {@link
 * io.lifeboat.storage.azure.AzureObjectStore}) with the copy's rules:
 *
 * <ul>
 *   <li>a manifest is written by conditional create (GCS {@code ifGenerationMatch=0}, Azure
 *       {@code If-None-Match: *}): a committed manifest is never overwritten. Finding one with
 *       the same SHA-256 is a retry; one with another is refused (OFFSITE_REFUSED), and `offsite
 *       verify --repair` removes a bad copy for the next sync;
 *   <li>a multipart upload's metadata (the copy's SHA-256) is set when it completes, so an
 *       upload cut off between the two reads as "no checksum recorded" and is copied again;
 *   <li>immutability is the service's own, set by the operator: a GCS bucket retention policy
 *       or object hold, an Azure container immutability policy or legal hold. {@code
 *       objectLock} asks for it: the copy reports it enabled when the bucket or container has
 *       it, unavailable otherwise (as with S3 Object Lock, never a failure); objects are not
 *       locked one by one. Deletes of held objects are refused by the service; retention reads
 *       each object's retention and holds and skips a copy still held;
 *   <li>failures are typed as offsite failures.
 * </ul>
 */
public final class CloudCopyBucket implements CopyBucket {
  private final OffsiteConfig config;
  private final CloudStore store;
  /** Metadata for uploads in flight, set on the object when the upload completes. */
  private final Map<String, Map<String, String>> pending = new ConcurrentHashMap<>();

  CloudCopyBucket(OffsiteConfig config, CloudStore store) {
    this.config = config;
    this.store = store;
  }

  @Override
  public OffsiteConfig config() {
    return config;
  }

  private String where() {
    return config.repositoryName() + " (" + config.type() + " " + config.bucket()
        + (config.endpoint() == null ? "" : " at " + config.endpoint()) + ")";
  }

  @Override
  public LockStatus probeLock() {
    OffsiteConfig.ObjectLock wanted = config.objectLock();
    if (wanted == null) return LockStatus.off();
    try {
      Optional<CloudStore.Immutability> i = store.containerImmutability();
      if (i.isPresent()) {
        return new LockStatus(LockStatus.ENABLED, i.get().mode(),
            i.get().days() > 0 ? (int) Math.min(Integer.MAX_VALUE, i.get().days())
                : wanted.days(), null);
      }
      return new LockStatus(LockStatus.UNAVAILABLE, wanted.mode(), wanted.days(),
          ("gcs".equals(config.type()) ? "bucket " + config.bucket() + " has no retention policy"
              : "container " + config.bucket() + " has no immutability policy"));
    } catch (StorageException e) {
      if (e.kind() == FailureKind.S3_NO_SUCH_BUCKET || e.kind() == FailureKind.S3_ACCESS_DENIED) {
        throw typed(e);
      }
      // An emulator without the API: no lock here, as with s3proxy's 501.
      return new LockStatus(LockStatus.UNAVAILABLE, wanted.mode(), wanted.days(),
          e.getMessage());
    }
  }

  @Override
  public void put(String key, byte[] content, String contentType, Map<String, String> metadata,
      LockStatus lock) {
    if (!OffsiteLayout.isManifest(key)) {
      call(() -> {
        store.put(key, content, contentType, metadata);
        return null;
      });
      return;
    }
    if (call(() -> store.putIfAbsent(key, content, contentType, metadata))) return;
    String want = metadata.get(OffsiteLayout.META_COPY_SHA256);
    String have = call(() -> store.head(key)).map(i -> i.metadata()
        .get(OffsiteLayout.META_COPY_SHA256)).orElse(null);
    if (want != null && want.equals(have)) return; // a retry of this very write
    throw new StorageException(FailureKind.OFFSITE_REFUSED, key + " in " + where() + " is a"
        + " committed manifest with other content (SHA-256 " + have + ", copying " + want
        + "); it is never overwritten: `lifeboat offsite verify --repository "
        + config.repositoryName() + " --repair` removes a bad copy for the next sync", null);
  }

  @Override
  public void put(String key, byte[] content, String contentType) {
    put(key, content, contentType, Map.of(), null);
  }

  @Override
  public String startUpload(String key, String contentType, Map<String, String> metadata,
      LockStatus lock) {
    String id = call(() -> store.startUpload(key));
    pending.put(key + "\n" + id, Map.copyOf(metadata));
    return id;
  }

  @Override
  public String startUpload(String key) {
    return startUpload(key, "application/octet-stream", Map.of(), null);
  }

  @Override
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
    return call(() -> store.uploadPart(key, uploadId, partNumber, data, length));
  }

  @Override
  public void completeUpload(String key, String uploadId, List<String> etags) {
    call(() -> {
      store.completeUpload(key, uploadId, etags);
      Map<String, String> meta = pending.remove(key + "\n" + uploadId);
      if (meta != null && !meta.isEmpty()) store.setMetadata(key, meta);
      return null;
    });
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    pending.remove(key + "\n" + uploadId);
    call(() -> {
      store.abortUpload(key, uploadId);
      return null;
    });
  }

  @Override
  public int abortUploads(String prefix) {
    return call(() -> store.abortUploads(prefix));
  }

  /**
   * Neither store records when an upload started, so only "all of them" ({@link Instant#MAX})
   * aborts anything: a crashed attempt's parts stay until then (Azure drops uncommitted blocks
   * after seven days by itself; GCS parts stay under _lifeboat-uploads/ until aborted).
   */
  @Override
  public int abortUploadsStartedBefore(String prefix, Instant before) {
    return before.equals(Instant.MAX) ? abortUploads(prefix) : 0;
  }

  @Override
  public List<PendingUpload> pendingUploads(String prefix) {
    return call(() -> store.pendingUploads(prefix));
  }

  @Override
  public Optional<Lock> lock(String key) {
    return call(() -> store.immutability(key))
        .map(i -> new Lock(i.mode(), i.retainUntil(), i.hold()));
  }

  /** No versions here: hiding is deleting (a held object is refused by the service). */
  @Override
  public void hide(String key) {
    delete(key);
  }

  @Override
  public void delete(String key) {
    try {
      store.delete(key);
    } catch (StorageException e) {
      Optional<Lock> lock = Optional.empty();
      try {
        lock = lock(key);
      } catch (StorageException ignored) {
        // the delete's own failure says more
      }
      if (lock.isPresent()) {
        throw new StorageException(FailureKind.OFFSITE_LOCKED, key + " is held ("
            + lock.get().describe() + "): " + where() + " refused to delete it", e);
      }
      throw typed(e);
    }
  }

  @Override
  public Map<String, Long> listSizes(String prefix) {
    return call(() -> store.listSizes(prefix));
  }

  @Override
  public InputStream get(String key) {
    return call(() -> store.get(key));
  }

  @Override
  public boolean exists(String key) {
    return call(() -> store.exists(key));
  }

  @Override
  public List<String> list(String prefix) {
    return call(() -> store.list(prefix));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    return call(() -> store.putIfAbsent(key, content, contentType, metadata));
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    return call(() -> store.head(key));
  }

  @Override
  public void close() {
    store.close();
  }

  private <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (StorageException e) {
      throw typed(e);
    }
  }

  /** The primary's failure kinds as the offsite's, naming this repository. */
  private StorageException typed(StorageException e) {
    FailureKind kind = switch (e.kind()) {
      case S3_UNAVAILABLE -> FailureKind.OFFSITE_UNAVAILABLE;
      case S3_NO_SUCH_BUCKET, S3_ACCESS_DENIED -> FailureKind.OFFSITE_REFUSED;
      default -> e.kind();
    };
    if (kind == e.kind()) return e;
    String msg = e.getMessage().replace("check repository.", "check "
        + config.repositoryName() + ".");
    return new StorageException(kind, "copy repository " + config.repositoryName() + ": " + msg,
        e);
  }
}
