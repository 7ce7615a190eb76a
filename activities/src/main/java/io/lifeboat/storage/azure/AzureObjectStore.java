package io.lifeboat.storage.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CloudStore;
import io.lifeboat.storage.StorageException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Azure Blob Storage (block blobs) through the official client. The S3 contract maps as follows:
 *
 * <ul>
 *   <li>conditional create: {@code If-None-Match: *}; 409 BlobAlreadyExists / 412 when a blob is
 *       there;
 *   <li>multipart upload: Put Block per part (block ids carry the upload id and part number),
 *       Put Block List to complete. Nothing is buffered beyond the part the caller holds. Azure
 *       has no "abort": aborting commits the blob's current block list again (or, when there is
 *       no committed blob, an empty one that is then deleted), which discards the uncommitted
 *       blocks; Azure itself discards them after seven days;
 *   <li>user metadata: Azure metadata names must be C# identifiers, so '-' and '_' are escaped
 *       ({@code _2d}, {@code _5f}) on the way in and restored on the way out;
 *   <li>immutability is a container (or version-level) immutability policy set by the operator;
 *       this interface has no per-object lock. Azurite does not implement immutability policies.
 * </ul>
 */
public final class AzureObjectStore implements CloudStore {
  private final BlobContainerClient container;
  private final String where;

  public AzureObjectStore(RepositoryConfig repo, Secrets secrets) {
    RepositoryConfig.AzureConfig az = repo.azure();
    // azure-storage-blob 12.35 (azure-sdk-bom 1.3.8): 12.37+ sends a service version that
    // Azurite 3.37 rejects unless it runs with --skipApiVersionCheck.
    BlobServiceClientBuilder b = new BlobServiceClientBuilder();
    if (az.connectionStringEnv() != null) {
      b.connectionString(secrets.require(az.connectionStringEnv(),
          "repository.azure.connectionStringEnv"));
    } else {
      b.endpoint(repo.endpoint()).credential(new StorageSharedKeyCredential(az.account(),
          secrets.require(az.accountKeyEnv(), "repository.azure.accountKeyEnv")));
    }
    this.container = b.buildClient().getBlobContainerClient(repo.bucket());
    this.where = "Azure container " + repo.bucket() + " at " + container.getAccountUrl();
  }

  private BlockBlobClient blob(String key) {
    return container.getBlobClient(key).getBlockBlobClient();
  }

  @Override
  public void put(String key, byte[] content, String contentType) {
    call("put " + key, () -> container.getBlobClient(key).uploadWithResponse(
        new BlobParallelUploadOptions(BinaryData.fromBytes(content))
            .setHeaders(new BlobHttpHeaders().setContentType(contentType)), null, Context.NONE));
  }

  @Override
  public void put(String key, byte[] content, String contentType, Map<String, String> metadata) {
    call("put " + key, () -> container.getBlobClient(key).uploadWithResponse(
        new BlobParallelUploadOptions(BinaryData.fromBytes(content))
            .setHeaders(new BlobHttpHeaders().setContentType(contentType))
            .setMetadata(encode(metadata)), null, Context.NONE));
  }

  @Override
  public void setMetadata(String key, Map<String, String> metadata) {
    call("set metadata of " + key, () -> {
      container.getBlobClient(key).setMetadata(encode(metadata));
      return null;
    });
  }

  @Override
  public Optional<Immutability> immutability(String key) {
    BlobProperties p;
    try {
      p = container.getBlobClient(key).getProperties();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) return Optional.empty();
      throw classify("head " + key, e);
    } catch (RuntimeException e) {
      throw classify("head " + key, e);
    }
    boolean hold = Boolean.TRUE.equals(p.hasLegalHold());
    var policy = p.getImmutabilityPolicy();
    java.time.Instant until = policy == null || policy.getExpiryTime() == null ? null
        : policy.getExpiryTime().toInstant();
    if (until == null && !hold) return Optional.empty();
    return Optional.of(new Immutability(hold ? "legal hold" : String.valueOf(
        policy.getPolicyMode()), until == null ? java.time.Instant.MAX : until, hold, 0));
  }

  @Override
  public Optional<Immutability> containerImmutability() {
    var p = call("get container properties", () -> container.getProperties());
    // Azurite answers none of these (null): no immutability there.
    boolean hold = Boolean.TRUE.equals(p.hasLegalHold());
    boolean worm = Boolean.TRUE.equals(p.hasImmutabilityPolicy())
        || Boolean.TRUE.equals(p.isImmutableStorageWithVersioningEnabled());
    if (!worm && !hold) return Optional.empty();
    return Optional.of(new Immutability(hold ? "container legal hold"
        : "container immutability policy", java.time.Instant.MAX, hold, 0));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType,
      Map<String, String> metadata) {
    try {
      container.getBlobClient(key).uploadWithResponse(
          new BlobParallelUploadOptions(BinaryData.fromBytes(content))
              .setHeaders(new BlobHttpHeaders().setContentType(contentType))
              .setMetadata(encode(metadata))
              .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
          null, Context.NONE);
      return true;
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 409 || e.getStatusCode() == 412) return false;
      throw classify("put " + key, e);
    } catch (RuntimeException e) {
      if (head(key).isPresent()) return false;
      throw classify("put " + key, e);
    }
  }

  @Override
  public InputStream get(String key) {
    return call("get " + key, () -> container.getBlobClient(key).openInputStream());
  }

  @Override
  public boolean exists(String key) {
    return head(key).isPresent();
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    try {
      BlobProperties p = container.getBlobClient(key).getProperties();
      return Optional.of(new ObjectInfo(key, p.getBlobSize(), p.getLastModified().toInstant(),
          decode(p.getMetadata())));
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) return Optional.empty();
      throw classify("head " + key, e);
    } catch (RuntimeException e) {
      throw classify("head " + key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    List<String> keys = new ArrayList<>(listSizes(prefix).keySet());
    keys.sort(String::compareTo);
    return keys;
  }

  /** Keys with their sizes under a prefix (committed blobs only). */
  @Override
  public Map<String, Long> listSizes(String prefix) {
    return call("list " + prefix, () -> {
      Map<String, Long> out = new LinkedHashMap<>();
      for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
        out.put(item.getName(), item.getProperties().getContentLength());
      }
      return out;
    });
  }

  @Override
  public void delete(String key) {
    call("delete " + key, () -> container.getBlobClient(key).deleteIfExists());
  }

  @Override
  public String startUpload(String key) {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  private static String blockId(String uploadId, int part) {
    return Base64.getEncoder().encodeToString(
        (uploadId + "-" + String.format("%06d", part)).getBytes(StandardCharsets.US_ASCII));
  }

  private static String uploadIdOf(String blockId) {
    String raw = new String(Base64.getDecoder().decode(blockId), StandardCharsets.US_ASCII);
    int dash = raw.lastIndexOf('-');
    return dash < 0 ? raw : raw.substring(0, dash);
  }

  @Override
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
    String id = blockId(uploadId, partNumber);
    byte[] body = length == data.length ? data : Arrays.copyOf(data, length);
    call("upload part " + partNumber + " of " + key, () -> {
      blob(key).stageBlock(id, BinaryData.fromBytes(body));
      return null;
    });
    return id;
  }

  @Override
  public void completeUpload(String key, String uploadId, List<String> etags) {
    call("complete upload " + key, () -> blob(key).commitBlockListWithResponse(
        new BlockBlobCommitBlockListOptions(etags)
            .setHeaders(new BlobHttpHeaders().setContentType("application/zstd")),
        null, Context.NONE));
  }

  @Override
  public void abortUpload(String key, String uploadId) {
    try {
      BlockList blocks = blob(key).listBlocks(BlockListType.ALL);
      boolean ours = blocks.getUncommittedBlocks().stream()
          .anyMatch(b -> uploadId.equals(uploadIdOf(b.getName())));
      if (!ours) return;
      Optional<ObjectInfo> committed = head(key);
      if (committed.isPresent()) {
        List<String> keep = blocks.getCommittedBlocks().stream().map(Block::getName).toList();
        BlobProperties p = container.getBlobClient(key).getProperties();
        blob(key).commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(keep)
            .setHeaders(new BlobHttpHeaders().setContentType(p.getContentType()))
            .setMetadata(p.getMetadata())
            .setRequestConditions(new BlobRequestConditions().setIfMatch(p.getETag())),
            null, Context.NONE);
      } else {
        var r = blob(key).commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(List.of())
            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
            null, Context.NONE);
        container.getBlobClient(key).deleteWithResponse(null,
            new BlobRequestConditions().setIfMatch(r.getValue().getETag()), null, Context.NONE);
      }
    } catch (BlobStorageException e) {
      // 404: nothing there; 409/412: someone committed meanwhile, which discarded the blocks.
      if (e.getStatusCode() == 404 || e.getStatusCode() == 409 || e.getStatusCode() == 412) {
        return;
      }
      throw classify("abort upload " + key, e);
    } catch (RuntimeException e) {
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
    return call("list uploads " + prefix, () -> {
      LinkedHashSet<PendingUpload> out = new LinkedHashSet<>();
      ListBlobsOptions opts = new ListBlobsOptions().setPrefix(prefix)
          .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
      for (BlobItem item : container.listBlobs(opts, null)) {
        BlockList blocks;
        try {
          blocks = blob(item.getName()).listBlocks(BlockListType.UNCOMMITTED);
        } catch (BlobStorageException e) {
          if (e.getStatusCode() == 404) continue;
          throw e;
        }
        for (Block b : blocks.getUncommittedBlocks()) {
          out.add(new PendingUpload(item.getName(), uploadIdOf(b.getName())));
        }
      }
      return new ArrayList<>(out);
    });
  }

  @Override
  public void close() {
    // the client holds a shared HTTP pool; nothing to release per store
  }

  /** '-' and '_' escaped so that any lifeboat-* key is a valid Azure metadata name. */
  static Map<String, String> encode(Map<String, String> meta) {
    Map<String, String> out = new HashMap<>();
    meta.forEach((k, v) -> out.put(k.toLowerCase().replace("_", "_5f").replace("-", "_2d"), v));
    return out;
  }

  static Map<String, String> decode(Map<String, String> meta) {
    Map<String, String> out = new HashMap<>();
    if (meta != null) {
      meta.forEach((k, v) -> out.put(k.toLowerCase().replace("_2d", "-").replace("_5f", "_"), v));
    }
    return out;
  }

  private <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw classify(what, e);
    }
  }

  private StorageException classify(String what, RuntimeException e) {
    if (e instanceof StorageException se) return se;
    if (e instanceof BlobStorageException b) {
      int status = b.getStatusCode();
      String code = b.getErrorCode() == null ? "" : b.getErrorCode().toString();
      if ("ContainerNotFound".equals(code)) {
        return new StorageException(FailureKind.S3_NO_SUCH_BUCKET, where + " does not exist", e);
      }
      if (status == 404) {
        return new StorageException(FailureKind.BACKUP_NOT_FOUND,
            "not in the repository: " + what, e);
      }
      if (status == 401 || status == 403) {
        return new StorageException(FailureKind.S3_ACCESS_DENIED, "Azure refused the credentials ("
            + code + ") at " + where + "; check repository.azure", e);
      }
      return new StorageException(FailureKind.S3_UNAVAILABLE, "Azure failed " + what + ": "
          + status + " " + code + " at " + where, e);
    }
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return new StorageException(FailureKind.S3_UNAVAILABLE, "Azure " + where
        + " is not answering (" + c.getClass().getSimpleName() + ": " + c.getMessage() + ")", e);
  }
}
