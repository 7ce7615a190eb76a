package io.lifeboat.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a copy repository on Google Cloud Storage or Azure Blob needs beyond {@link ObjectStore}:
 * writes with user metadata, metadata set on a completed upload, sizes in a listing, and the
 * service's immutability as it stands (set by the operator on the bucket or container, or on
 * one object; this code sets none).
 */
public interface CloudStore extends ObjectStore {

  /** Writes (overwrites) a whole object with user metadata. */
  void put(String key, byte[] content, String contentType, Map<String, String> metadata);

  /** Replaces the user metadata of an existing object (a completed multipart upload). */
  void setMetadata(String key, Map<String, String> metadata);

  /** Keys with their sizes under a prefix (committed objects only). */
  Map<String, Long> listSizes(String prefix);

  /** The object's own retention and holds; empty when it has none (or is not there). */
  Optional<Immutability> immutability(String key);

  /**
   * The bucket's or container's immutability (a GCS retention policy, an Azure immutability
   * policy), or empty when it has none.
   *
   * @throws StorageException when the service cannot be asked (an emulator without the API
   *     answers so too; the caller reports it as unavailable)
   */
  Optional<Immutability> containerImmutability();

  /**
   * @param mode the service's words: "retention policy", "object retention", "Unlocked"...
   * @param retainUntil when it runs out (for a container policy: an object written now);
   *     {@link Instant#MAX} for a hold, which lasts until lifted
   * @param days a container policy's period in days (0 for an object's)
   */
  record Immutability(String mode, Instant retainUntil, boolean hold, long days) {}
}
