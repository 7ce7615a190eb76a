package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.s3.S3ObjectStore;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.offsite.LockStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The offsite bucket: an {@link S3ObjectStore} whose failures are typed as offsite failures
 * (their hints name the offsite settings), whose writes carry user metadata (the SHA-256 of
 * what was copied, and the primary's own metadata) and, where the bucket has Object Lock
 * enabled, a retain-until date. On such a bucket (always versioned) a delete removes every
 * version of the key, so an expired copy really goes; a version the lock still protects is
 * refused by the server and reported as {@link FailureKind#OFFSITE_LOCKED}.
 */
public final class OffsiteBucket extends S3ObjectStore implements CopyBucket {
  static final Role OFFSITE = new Role("offsite", "offsite", "offsite bucket",
      FailureKind.OFFSITE_REFUSED, FailureKind.OFFSITE_REFUSED, FailureKind.OFFSITE_UNAVAILABLE);

  private final OffsiteConfig config;
  /** Whether the bucket keeps versions; asked once (null until then). */
  private volatile Boolean versioned;

  public OffsiteBucket(OffsiteConfig config, Secrets secrets) {
    // The prefix is the callers' business (keys come in whole): the store needs none.
    super(config.asRepository(""), secrets, OFFSITE);
    this.config = config;
  }

  @Override
  public OffsiteConfig config() {
    return config;
  }

  /**
   * What the bucket says about Object Lock. A server without the API (s3proxy answers 501) or
   * a bucket created without it is "unavailable", not a failure: the copy goes on unlocked.
   */
  @Override
  public LockStatus probeLock() {
    OffsiteConfig.ObjectLock wanted = config.objectLock();
    if (wanted == null) return LockStatus.off();
    try {
      GetObjectLockConfigurationResponse r =
          client().getObjectLockConfiguration(b -> b.bucket(bucket()));
      var c = r.objectLockConfiguration();
      if (c != null && c.objectLockEnabled() == ObjectLockEnabled.ENABLED) {
        return new LockStatus(LockStatus.ENABLED, wanted.mode(), wanted.days(), null);
      }
      return new LockStatus(LockStatus.UNAVAILABLE, wanted.mode(), wanted.days(),
          "Object Lock is not enabled on bucket " + bucket());
    } catch (S3Exception e) {
      int status = e.statusCode();
      String code = code(e);
      if ("NoSuchBucket".equals(code) || status == 403) throw classify("object lock probe", e);
      // 404 ObjectLockConfigurationNotFoundError, 501 NotImplemented, 400 from servers that
      // do not know the subresource: all mean "no lock here".
      if (status == 404 || status == 501 || status == 400 || status == 405) {
        return new LockStatus(LockStatus.UNAVAILABLE, wanted.mode(), wanted.days(),
            (code.isEmpty() ? "HTTP " + status : code) + " from " + config.endpoint());
      }
      throw classify("object lock probe", e);
    } catch (SdkException e) {
      throw classify("object lock probe", e);
    }
  }

  /** Writes a whole object with user metadata, and the lock when it is enabled. */
  public void put(String key, byte[] content, String contentType, Map<String, String> metadata,
      LockStatus lock) {
    put(key, content, contentType, metadata, req -> {
      if (lock != null && lock.enabled()) {
        req.objectLockMode(ObjectLockMode.fromValue(lock.mode()))
            .objectLockRetainUntilDate(retainUntil(lock));
      }
    });
  }

  /** Starts a multipart upload whose object will carry the metadata (and the lock). */
  public String startUpload(String key, String contentType, Map<String, String> metadata,
      LockStatus lock) {
    return startUpload(key, contentType, metadata, req -> {
      if (lock != null && lock.enabled()) {
        req.objectLockMode(ObjectLockMode.fromValue(lock.mode()))
            .objectLockRetainUntilDate(retainUntil(lock));
      }
    });
  }

  @Override
  public String startUpload(String key) {
    return startUpload(key, "application/octet-stream", Map.of(), (LockStatus) null);
  }

  private Instant retainUntil(LockStatus lock) {
    return Instant.now().plus(Duration.ofDays(lock.days()));
  }

  /**
   * The strictest lock over every version of the object, or empty when none is locked (or the
   * server has no Object Lock). A noncurrent version keeps its lock, and is what a delete of
   * all versions would meet, so each version counts.
   */
  public Optional<Lock> lock(String key) {
    Lock strictest = null;
    for (String versionId : versionIds(key)) {
      HeadObjectResponse r;
      try {
        r = client().headObject(b -> {
          b.bucket(bucket()).key(key);
          if (versionId != null) b.versionId(versionId);
        });
      } catch (S3Exception e) {
        // A delete marker answers 405, a vanished version 404: neither holds a lock.
        if (e.statusCode() == 404 || e.statusCode() == 405) continue;
        throw classify("head " + key, e);
      } catch (SdkException e) {
        throw classify("head " + key, e);
      }
      boolean hold = r.objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON;
      Instant until = r.objectLockRetainUntilDate();
      if (until == null && !hold) continue;
      Instant effective = until != null ? until : Instant.MAX;
      if (strictest == null || effective.isAfter(strictest.retainUntil())
          || (hold && !strictest.legalHold())) {
        strictest = new Lock(r.objectLockModeAsString(), effective, hold);
      }
    }
    return Optional.ofNullable(strictest);
  }

  /** Unfinished uploads started before the instant (left by a crashed attempt). */
  @Override
  public int abortUploadsStartedBefore(String prefix, Instant before) {
    int n = 0;
    for (MultipartUpload u : uploads(prefix)) {
      if (u.initiated() == null || u.initiated().isBefore(before)) {
        abortUpload(u.key(), u.uploadId());
        n++;
      }
    }
    return n;
  }

  @Override
  public int abortUploads(String prefix) {
    return abortUploadsStartedBefore(prefix, Instant.MAX);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    // Not conditional: an offsite endpoint need not support If-None-Match, and only one
    // copy workflow writes a given key at a time (its workflow id is the backup's).
    if (exists(key)) return false;
    put(key, content, contentType, metadata, (LockStatus) null);
    return true;
  }

  /**
   * Removes the object. On a versioned bucket, every version and delete marker of the key:
   * a plain DELETE would only add a marker and leave the data (and its cost) behind. A version
   * under Object Lock is refused by the server; that is reported as OFFSITE_LOCKED with the
   * lock's date, and the versions after it are left for the next attempt.
   */
  @Override
  public void delete(String key) {
    if (!versioned()) {
      super.delete(key);
      return;
    }
    for (String versionId : versionIds(key)) {
      try {
        client().deleteObject(b -> b.bucket(bucket()).key(key).versionId(versionId));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) continue;
        // AWS refuses a locked version with 403 AccessDenied, MinIO with 400 InvalidRequest
        // ("Object is WORM protected"): the object's own lock says which it was.
        Optional<Lock> lock = e.statusCode() == 403 || e.statusCode() == 400 ? lock(key)
            : Optional.empty();
        if (lock.isPresent()) {
          throw new StorageException(FailureKind.OFFSITE_LOCKED, key + " is under Object Lock ("
              + lock.get().describe() + "): the offsite server refused to delete it ("
              + (code(e).isEmpty() ? "HTTP " + e.statusCode() : code(e)) + ")", e);
        }
        throw classify("delete " + key + " version " + versionId, e);
      } catch (SdkException e) {
        throw classify("delete " + key + " version " + versionId, e);
      }
    }
  }

  /**
   * A plain DELETE: on a versioned bucket it only adds a delete marker, so the key reads as
   * absent (the next sync copies it again) while its locked versions stay, noncurrent, until
   * the copy's retention removes every version after the lock.
   */
  @Override
  public void hide(String key) {
    super.delete(key);
  }

  /**
   * The version ids of exactly this key, newest first; a single null (the current object) on a
   * bucket without versioning.
   */
  private List<String> versionIds(String key) {
    List<String> ids = new ArrayList<>();
    if (!versioned()) {
      ids.add(null);
      return ids;
    }
    call("list versions of " + key, () -> {
      for (var page : client().listObjectVersionsPaginator(b -> b.bucket(bucket()).prefix(key))) {
        page.versions().stream().filter(v -> key.equals(v.key()))
            .forEach(v -> ids.add(v.versionId()));
        page.deleteMarkers().stream().filter(m -> key.equals(m.key()))
            .forEach(m -> ids.add(m.versionId()));
      }
      return null;
    });
    return ids;
  }

  /**
   * Whether the bucket keeps versions (Object Lock turns versioning on). A server without the
   * versioning API (s3proxy) keeps none.
   */
  boolean versioned() {
    Boolean v = versioned;
    if (v == null) {
      try {
        var status = client().getBucketVersioning(b -> b.bucket(bucket())).status();
        v = status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
      } catch (S3Exception e) {
        if ("NoSuchBucket".equals(code(e)) || e.statusCode() == 403) {
          throw classify("versioning probe", e);
        }
        v = false;
      } catch (SdkException e) {
        throw classify("versioning probe", e);
      }
      versioned = v;
    }
    return v;
  }
}
