package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.workflows.common.FailureKind;
import io.lifeboat.workflows.offsite.LockStatus;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The offsite bucket. Unlike the primary's store, every write carries user metadata (the
 * SHA-256 of what was copied, and the primary's own metadata, e.g. a WAL segment's checksum)
 * and, where the bucket has Object Lock enabled, a retain-until date. Its failures are typed
 * as offsite failures, whose hints name the offsite settings.
 */
public final class OffsiteBucket implements ObjectStore {
  private final S3Client s3;
  private final OffsiteConfig config;

  public OffsiteBucket(OffsiteConfig config, Secrets secrets) {
    this.config = config;
    this.s3 = S3Client.builder()
        .endpointOverride(URI.create(config.endpoint()))
        .region(Region.of(config.region()))
        .forcePathStyle(config.pathStyle())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            secrets.require(config.accessKeyEnv(), "offsite.accessKeyEnv"),
            secrets.require(config.secretKeyEnv(), "offsite.secretKeyEnv"))))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(120)))
        .build();
  }

  public OffsiteConfig config() {
    return config;
  }

  /**
   * What the bucket says about Object Lock. A server without the API (s3proxy answers 501) or
   * a bucket created without it is "unavailable", not a failure: the copy goes on unlocked.
   */
  public LockStatus probeLock() {
    OffsiteConfig.ObjectLock wanted = config.objectLock();
    if (wanted == null) return LockStatus.off();
    try {
      GetObjectLockConfigurationResponse r =
          s3.getObjectLockConfiguration(b -> b.bucket(config.bucket()));
      var c = r.objectLockConfiguration();
      if (c != null && c.objectLockEnabled() == ObjectLockEnabled.ENABLED) {
        return new LockStatus(LockStatus.ENABLED, wanted.mode(), wanted.days(), null);
      }
      return new LockStatus(LockStatus.UNAVAILABLE, wanted.mode(), wanted.days(),
          "Object Lock is not enabled on bucket " + config.bucket());
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
    call("put " + key, () -> {
      PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(config.bucket()).key(key)
          .contentType(contentType).metadata(metadata);
      if (lock != null && lock.enabled()) {
        req.objectLockMode(ObjectLockMode.fromValue(lock.mode()))
            .objectLockRetainUntilDate(Instant.now().plus(Duration.ofDays(lock.days())));
      }
      return s3.putObject(req.build(), RequestBody.fromBytes(content));
    });
  }

  /** Starts a multipart upload whose object will carry the metadata (and the lock). */
  public String startUpload(String key, String contentType, Map<String, String> metadata,
      LockStatus lock) {
    return call("start upload " + key, () -> {
      CreateMultipartUploadRequest.Builder req = CreateMultipartUploadRequest.builder()
          .bucket(config.bucket()).key(key).contentType(contentType).metadata(metadata);
      if (lock != null && lock.enabled()) {
        req.objectLockMode(ObjectLockMode.fromValue(lock.mode()))
            .objectLockRetainUntilDate(Instant.now().plus(Duration.ofDays(lock.days())));
      }
      return s3.createMultipartUpload(req.build()).uploadId();
    });
  }

  /** Keys with their sizes under a prefix, in lexical order. */
  public Map<String, Long> listSizes(String prefix) {
    return call("list " + prefix, () -> {
      Map<String, Long> out = new LinkedHashMap<>();
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(config.bucket())
          .prefix(prefix).build();
      for (var page : s3.listObjectsV2Paginator(req)) {
        for (S3Object o : page.contents()) out.put(o.key(), o.size());
      }
      return out;
    });
  }

  /** When the object's lock runs out, or empty when it has none. */
  public Optional<Instant> lockedUntil(String key) {
    return call("head " + key, () -> {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(config.bucket()).key(key));
      return Optional.ofNullable(r.objectLockRetainUntilDate());
    });
  }

  /** Unfinished uploads started before the instant (left by a crashed attempt). */
  public int abortUploadsStartedBefore(String prefix, Instant before) {
    int n = 0;
    for (MultipartUpload u : call("list uploads " + prefix, () ->
        s3.listMultipartUploads(b -> b.bucket(config.bucket()).prefix(prefix)).uploads())) {
      if (u.initiated() == null || u.initiated().isBefore(before)) {
        abortUpload(u.key(), u.uploadId());
        n++;
      }
    }
    return n;
  }

  // ---- ObjectStore, for the code shared with the primary (PartUploader, listing, reads)

  @Override
  public void put(String key, byte[] content, String contentType) {
    put(key, content, contentType, Map.of(), null);
  }

  @Override
  public InputStream get(String key) {
    return call("get " + key, () -> s3.getObject(b -> b.bucket(config.bucket()).key(key)));
  }

  @Override
  public boolean exists(String key) {
    return head(key).isPresent();
  }

  @Override
  public List<String> list(String prefix) {
    return new ArrayList<>(listSizes(prefix).keySet());
  }

  @Override
  public void delete(String key) {
    call("delete " + key, () -> s3.deleteObject(b -> b.bucket(config.bucket()).key(key)));
  }

  @Override
  public String startUpload(String key) {
    return startUpload(key, "application/octet-stream", Map.of(), null);
  }

  @Override
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
    return call("upload part " + partNumber + " of " + key, () -> s3.uploadPart(
        b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).partNumber(partNumber),
        RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(data, 0, length))).eTag());
  }

  @Override
  public void completeUpload(String key, String uploadId, List<String> etags) {
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 0; i < etags.size(); i++) {
      parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
    }
    call("complete upload " + key, () -> s3.completeMultipartUpload(b -> b.bucket(config.bucket())
        .key(key).uploadId(uploadId)
        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
    } catch (NoSuchUploadException e) {
      // already gone
    } catch (S3Exception e) {
      if (e.statusCode() != 404) throw classify("abort upload " + key, e);
    } catch (SdkException e) {
      throw classify("abort upload " + key, e);
    }
  }

  @Override
  public int abortUploads(String prefix) {
    return abortUploadsStartedBefore(prefix, Instant.MAX);
  }

  @Override
  public List<PendingUpload> pendingUploads(String prefix) {
    List<PendingUpload> out = new ArrayList<>();
    for (MultipartUpload u : call("list uploads " + prefix, () ->
        s3.listMultipartUploads(b -> b.bucket(config.bucket()).prefix(prefix)).uploads())) {
      out.add(new PendingUpload(u.key(), u.uploadId()));
    }
    return out;
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    if (exists(key)) return false;
    put(key, content, contentType, metadata, null);
    return true;
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(config.bucket()).key(key));
      return Optional.of(new ObjectInfo(key, r.contentLength(), r.lastModified(), r.metadata()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return Optional.empty();
      throw classify("head " + key, e);
    } catch (SdkException e) {
      throw classify("head " + key, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  private <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (SdkException e) {
      throw classify(what, e);
    }
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }

  StorageException classify(String what, SdkException e) {
    String where = "offsite " + config.endpoint() + " bucket " + config.bucket();
    if (e instanceof NoSuchKeyException) {
      return new StorageException(FailureKind.BACKUP_NOT_FOUND, "not in the " + where + ": "
          + what, e);
    }
    if (e instanceof S3Exception s3e) {
      String code = code(s3e);
      int status = s3e.statusCode();
      if ("NoSuchBucket".equals(code)) {
        return new StorageException(FailureKind.OFFSITE_REFUSED, "offsite bucket "
            + config.bucket() + " does not exist at " + config.endpoint(), e);
      }
      if (status == 403 || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
        return new StorageException(FailureKind.OFFSITE_REFUSED, where + " refused " + what
            + " (" + (code.isEmpty() ? status : code) + ")", e);
      }
      if (status == 404) {
        return new StorageException(FailureKind.BACKUP_NOT_FOUND, "not in the " + where + ": "
            + what, e);
      }
      return new StorageException(FailureKind.OFFSITE_UNAVAILABLE, where + " answered " + status
          + " " + code + " to " + what, e);
    }
    if (e instanceof SdkClientException) {
      return new StorageException(FailureKind.OFFSITE_UNAVAILABLE, where + " is not answering ("
          + rootMessage(e) + ")", e);
    }
    return new StorageException(FailureKind.OFFSITE_UNAVAILABLE, where + " failed " + what + ": "
        + rootMessage(e), e);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
