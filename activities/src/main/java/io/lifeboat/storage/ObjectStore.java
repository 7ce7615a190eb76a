package io.lifeboat.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backup repository's storage.
 *
 * <p>Contract: every method may be retried after any failure. {@link #put} overwrites, {@link
 * #delete} of a missing key succeeds, {@link #abortUploads} of nothing succeeds. Nothing here
 * retries on its own beyond the SDK's transport retries: Temporal's retry policy decides.
 * Failures are {@link StorageException}s typed as retryable or not.
 */
public interface ObjectStore extends AutoCloseable {

  void put(String key, byte[] content, String contentType);

  /** The whole object; the caller closes the stream. Missing key: {@link StorageException}. */
  InputStream get(String key);

  boolean exists(String key);

  /** Keys under a prefix, in lexical order. */
  List<String> list(String prefix);

  void delete(String key);

  /** Starts a multipart upload and returns its id; parts are then sent with {@link #uploadPart}. */
  String startUpload(String key);

  /** Returns the part's ETag. Parts are numbered from 1. */
  String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length);

  void completeUpload(String key, String uploadId, List<String> etags);

  /** Aborts one upload; an upload that is already gone is not an error. */
  void abortUpload(String key, String uploadId);

  /** Aborts every unfinished upload under the prefix; returns how many were aborted. */
  int abortUploads(String prefix);

  /** Unfinished uploads under the prefix (key and upload id), for checks and tests. */
  List<PendingUpload> pendingUploads(String prefix);

  record PendingUpload(String key, String uploadId) {}

  /**
   * Writes the object only when no object has that key (S3 conditional write, If-None-Match:
   * *), with user metadata. Returns false, writing nothing, when the key already exists: the
   * caller decides whether the existing object is the same (a retry) or a conflict.
   */
  boolean putIfAbsent(String key, byte[] content, String contentType, Map<String, String> metadata);

  /** Size and user metadata of an object, or empty when there is none. */
  Optional<ObjectInfo> head(String key);

  /** @param metadata user metadata, keys in lower case without the x-amz-meta- prefix */
  record ObjectInfo(String key, long size, java.time.Instant lastModified,
      Map<String, String> metadata) {}

  @Override
  void close();
}
