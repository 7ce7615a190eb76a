package io.lifeboat.storage.s3;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * S3 (AWS, MinIO, s3proxy) through the AWS SDK v2, path-style when configured. The primary
 * repository uses it as it is; the offsite bucket (io.lifeboat.offsite.OffsiteBucket) extends
 * it with user metadata and Object Lock on writes, and its own failure kinds ({@link Role}).
 */
public class S3ObjectStore implements ObjectStore {
  /**
   * Who this store is in messages and which failure kinds it reports: the primary repository's
   * failures are S3_*, the offsite copy's OFFSITE_* (an offsite failure never fails a backup).
   *
   * @param name how messages name the endpoint ("S3", "offsite")
   * @param section the config section whose settings the messages point at
   * @param notFoundIn where a missing key is said to be missing ("repository", ...)
   */
  public record Role(String name, String section, String notFoundIn, FailureKind noSuchBucket,
      FailureKind refused, FailureKind unavailable) {
    public static final Role REPOSITORY = new Role("S3", "repository", "repository",
        FailureKind.S3_NO_SUCH_BUCKET, FailureKind.S3_ACCESS_DENIED, FailureKind.S3_UNAVAILABLE);
  }

  private final S3Client s3;
  private final RepositoryConfig repo;
  private final Role role;

  public S3ObjectStore(RepositoryConfig repo, Secrets secrets) {
    this(repo, secrets, Role.REPOSITORY);
  }

  protected S3ObjectStore(RepositoryConfig repo, Secrets secrets, Role role) {
    this.repo = repo;
    this.role = role;
    this.s3 = S3Client.builder()
        .endpointOverride(URI.create(repo.endpoint()))
        .region(Region.of(repo.region()))
        .forcePathStyle(repo.pathStyle())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            secrets.require(repo.accessKeyEnv(), role.section() + ".accessKeyEnv"),
            secrets.require(repo.secretKeyEnv(), role.section() + ".secretKeyEnv"))))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(120)))
        .build();
  }

  /** The SDK client, for what a subclass adds (Object Lock, versions). */
  protected final S3Client client() {
    return s3;
  }

  protected final String bucket() {
    return repo.bucket();
  }

  @Override
  public void put(String key, byte[] content, String contentType) {
    put(key, content, contentType, Map.of(), req -> { });
  }

  /** A whole-object write with user metadata; {@code options} adds to the request (a lock). */
  protected void put(String key, byte[] content, String contentType, Map<String, String> metadata,
      Consumer<PutObjectRequest.Builder> options) {
    write("put " + key, () -> s3.putObject(putRequest(key, contentType, metadata, options),
        RequestBody.fromBytes(content)));
  }

  private PutObjectRequest putRequest(String key, String contentType,
      Map<String, String> metadata, Consumer<PutObjectRequest.Builder> options) {
    PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(repo.bucket()).key(key)
        .contentType(contentType).metadata(metadata);
    if (sse() != null) req.serverSideEncryption(sse());
    if (storageClass() != null) req.storageClass(storageClass());
    options.accept(req);
    return req.build();
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    try {
      s3.putObject(putRequest(key, contentType, metadata, req -> req.ifNoneMatch("*")),
          RequestBody.fromBytes(content));
      return true;
    } catch (S3Exception e) {
      // 412: an object is there; 409: a concurrent conditional write to the same key won.
      if (e.statusCode() == 412 || e.statusCode() == 409) return false;
      throw classify("put " + key, e);
    } catch (SdkException e) {
      // The answer was lost (or a 412 arrived while the body was still being sent, which the
      // HTTP client reports as a write error): if the object is there now, it exists, and the
      // caller compares its checksum; if not, the write failed and may be retried.
      if (head(key).isPresent()) return false;
      throw classify("put " + key, e instanceof SdkClientException lost ? answerBehind(lost) : e);
    }
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(repo.bucket()).key(key));
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
  public InputStream get(String key) {
    return call("get " + key, () -> s3.getObject(b -> b.bucket(repo.bucket()).key(key)));
  }

  @Override
  public boolean exists(String key) {
    return head(key).isPresent();
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>(listSizes(prefix).keySet());
    keys.sort(String::compareTo);
    return keys;
  }

  /** Keys with their sizes under a prefix, in the server's (lexical) order. */
  public Map<String, Long> listSizes(String prefix) {
    return call("list " + prefix, () -> {
      Map<String, Long> out = new LinkedHashMap<>();
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(repo.bucket())
          .prefix(prefix).build();
      for (var page : s3.listObjectsV2Paginator(req)) {
        for (S3Object o : page.contents()) out.put(o.key(), o.size());
      }
      return out;
    });
  }

  @Override
  public void delete(String key) {
    call("delete " + key, () -> s3.deleteObject(b -> b.bucket(repo.bucket()).key(key)));
  }

  @Override
  public String startUpload(String key) {
    return startUpload(key, "application/zstd", Map.of(), req -> { });
  }

  /** A multipart upload whose object will carry the metadata; {@code options} adds a lock. */
  protected String startUpload(String key, String contentType, Map<String, String> metadata,
      Consumer<CreateMultipartUploadRequest.Builder> options) {
    return call("start upload " + key, () -> {
      CreateMultipartUploadRequest.Builder req = CreateMultipartUploadRequest.builder()
          .bucket(repo.bucket()).key(key).contentType(contentType).metadata(metadata);
      if (sse() != null) req.serverSideEncryption(sse());
      if (storageClass() != null) req.storageClass(storageClass());
      options.accept(req);
      return s3.createMultipartUpload(req.build()).uploadId();
    });
  }

  @Override
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
    return write("upload part " + partNumber + " of " + key, () -> s3.uploadPart(
        b -> b.bucket(repo.bucket()).key(key).uploadId(uploadId).partNumber(partNumber),
        RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(data, 0, length))).eTag());
  }

  @Override
  public void completeUpload(String key, String uploadId, List<String> etags) {
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 0; i < etags.size(); i++) {
      parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
    }
    write("complete upload " + key, () -> s3.completeMultipartUpload(b -> b.bucket(repo.bucket())
        .key(key).uploadId(uploadId)
        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(repo.bucket()).key(key).uploadId(uploadId));
    } catch (NoSuchUploadException e) {
      // already gone: what we wanted
    } catch (S3Exception e) {
      if (e.statusCode() != 404) throw classify("abort upload " + key, e);
    } catch (SdkException e) {
      throw classify("abort upload " + key, e);
    }
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
    List<PendingUpload> out = new ArrayList<>();
    for (MultipartUpload u : uploads(prefix)) out.add(new PendingUpload(u.key(), u.uploadId()));
    return out;
  }

  /** Unfinished multipart uploads under the prefix, with when each was started. */
  protected List<MultipartUpload> uploads(String prefix) {
    return call("list uploads " + prefix, () -> {
      ListMultipartUploadsResponse resp =
          s3.listMultipartUploads(b -> b.bucket(repo.bucket()).prefix(prefix));
      return resp.uploads();
    });
  }

  @Override
  public void close() {
    s3.close();
  }

  private ServerSideEncryption sse() {
    return "none".equals(repo.serverSideEncryption()) ? null
        : ServerSideEncryption.fromValue(repo.serverSideEncryption());
  }

  private StorageClass storageClass() {
    // STANDARD is what S3 does anyway; not sending it keeps S3-compatible servers happy.
    return "STANDARD".equals(repo.storageClass()) ? null : StorageClass.fromValue(repo.storageClass());
  }

  protected final <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (SdkException e) {
      throw classify(what, e);
    }
  }

  /**
   * A request with a body. A server that refuses it on its headers (a bucket that does not
   * exist, refused credentials) may answer at once and close the connection (s3proxy does); the
   * HTTP client then fails writing the body ("Error writing request body to
   * server", "Broken pipe") and the answer is lost. So a write that fails in transit asks the
   * bucket again without a body ({@link #answerBehind}): a refusal or a missing bucket is named
   * as such (not retried); otherwise the write stays S3 not answering (retried).
   */
  protected final <T> T write(String what, Supplier<T> body) {
    return call(what, () -> {
      try {
        return body.get();
      } catch (SdkClientException lost) {
        throw answerBehind(lost);
      }
    });
  }

  /**
   * The server's answer to a bodiless HEAD of the bucket when a write failed in transit: that
   * answer if it is an error (the lost one, the write's failure suppressed in it), else the
   * write's own failure. One attempt, bounded: it runs only on a failure path.
   */
  private SdkException answerBehind(SdkClientException lost) {
    try {
      s3.headBucket(b -> b.bucket(repo.bucket())
          .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(15))));
      return lost;
    } catch (S3Exception answer) {
      answer.addSuppressed(lost);
      return answer;
    } catch (SdkException noAnswer) {
      return lost;
    }
  }

  /** The error code of an S3 error; empty for a HEAD's, which has no body. */
  protected static String code(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }

  protected final StorageException classify(String what, SdkException e) {
    String where = repo.endpoint() + " bucket " + repo.bucket();
    String missing = "not in the " + role.notFoundIn() + ": " + what;
    if (e instanceof NoSuchKeyException) {
      return new StorageException(FailureKind.BACKUP_NOT_FOUND, missing, e);
    }
    if (e instanceof S3Exception s3e) {
      String code = code(s3e);
      int status = s3e.statusCode();
      if ("NoSuchBucket".equals(code) || e instanceof NoSuchBucketException) {
        return new StorageException(role.noSuchBucket(),
            role.name() + " bucket " + repo.bucket() + " does not exist at " + repo.endpoint(), e);
      }
      if (status == 403 || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
        return new StorageException(role.refused(),
            role.name() + " refused the credentials (" + (code.isEmpty() ? status : code)
                + ") at " + where + "; check " + repo.accessKeyEnv() + "/"
                + repo.secretKeyEnv(), e);
      }
      if (status == 404) {
        return new StorageException(FailureKind.BACKUP_NOT_FOUND, missing, e);
      }
      if (status >= 500 || status == 429 || status == 408) {
        return new StorageException(role.unavailable(),
            role.name() + " answered " + status + " " + code + " to " + what + " at " + where, e);
      }
      return new StorageException(role.unavailable(),
          role.name() + " failed " + what + ": " + status + " " + code, e);
    }
    if (e instanceof SdkClientException) {
      return new StorageException(role.unavailable(),
          role.name() + " at " + repo.endpoint() + " is not answering (" + rootMessage(e) + ")", e);
    }
    return new StorageException(role.unavailable(), role.name() + " failed " + what + ": "
        + rootMessage(e), e);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
