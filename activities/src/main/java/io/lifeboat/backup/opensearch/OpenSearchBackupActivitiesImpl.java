package io.lifeboat.backup.opensearch;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lifeboat.backup.redis.RedisBackupActivitiesImpl;
import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.CommitMark;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.SealedUpload;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenSearch (and Elasticsearch) backups through the snapshot API into an {@code fs}
 * repository on the node's host, whose files are then shipped into Lifeboat's repository:
 * repository-s3 is not used (it is not on Maven Central for 2.19, and the node would then hold
 * the bucket's credentials and write unencrypted blobs); Lifeboat's own store, cipher and
 * commit mark stay the one path to storage.
 */
public class OpenSearchBackupActivitiesImpl implements OpenSearchBackupActivities {
  private static final Logger log = LoggerFactory.getLogger(OpenSearchBackupActivitiesImpl.class);

  private final StoreFactory stores;
  private final OpenSearchHttp http;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public OpenSearchBackupActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.http = new OpenSearchHttp(secrets);
  }

  @Override
  public OpenSearchFacts opensearchAssess(OpenSearchConfig o) {
    return typed(() -> assess(http, o));
  }

  static OpenSearchFacts assess(OpenSearchHttp http, OpenSearchConfig o) {
    JsonNode root = http.get(o, "/");
    String version = root.path("version").path("number").asText("");
    if (version.isEmpty()) {
      throw FailureKind.OPENSEARCH_REFUSED.failure(o.url() + " answers, but not as an"
          + " OpenSearch or Elasticsearch node (GET / has no version.number)");
    }
    String distribution = root.path("version").path("distribution").asText("elasticsearch");
    return new OpenSearchFacts(distribution, version, http.documents(o, o.indices()));
  }

  /** Registers the fs repository at snapshotDir, or checks the one registered under the name. */
  public static void ensureRepository(OpenSearchHttp http, OpenSearchConfig o) {
    OpenSearchHttp.Response r = http.call(o, "GET", "/_snapshot/" + o.repository(), null,
        Duration.ofMinutes(1));
    if (r.status() == 404) {
      http.send(o, "PUT", "/_snapshot/" + o.repository(), OpenSearchHttp.map("type", "fs",
          "settings", OpenSearchHttp.map("location", o.snapshotDir())), Duration.ofMinutes(5));
      return;
    }
    if (r.status() != 200) throw OpenSearchHttp.failure(o, "GET", "/_snapshot", r);
    JsonNode repo = r.body().path(o.repository());
    String type = repo.path("type").asText();
    String location = repo.path("settings").path("location").asText();
    if (!"fs".equals(type) || !Path.of(location).normalize()
        .equals(Path.of(o.snapshotDir()).normalize())) {
      throw FailureKind.OPENSEARCH_REFUSED.failure("snapshot repository '" + o.repository()
          + "' on opensearch " + o.name() + " is " + type + " at '" + location
          + "'; the config says fs at " + o.snapshotDir() + " (set opensearch[].repository to"
          + " another name, or fix snapshotDir)");
    }
  }

  @Override
  public OpenSearchSnapshot opensearchSnapshot(OpenSearchConfig o, String snapshot) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      ensureRepository(http, o);
      String path = "/_snapshot/" + o.repository() + "/" + snapshot;
      OpenSearchHttp.Response existing = http.call(o, "GET", path, null, Duration.ofMinutes(1));
      if (existing.status() == 404) {
        // A retry finds the snapshot its first attempt started: a name is one snapshot.
        http.send(o, "PUT", path + "?wait_for_completion=false", OpenSearchHttp.map(
            "indices", o.indices(), "include_global_state", false,
            "ignore_unavailable", true), Duration.ofMinutes(5));
      } else if (existing.status() != 200) {
        throw OpenSearchHttp.failure(o, "GET", path, existing);
      }
      long deadline = System.currentTimeMillis() + Duration.ofHours(12).toMillis();
      while (System.currentTimeMillis() < deadline) {
        JsonNode s = http.get(o, path).path("snapshots").path(0);
        String state = s.path("state").asText();
        if ("SUCCESS".equals(state)) {
          List<String> indices = new ArrayList<>();
          s.path("indices").forEach(i -> indices.add(i.asText()));
          indices.sort(null);
          return new OpenSearchSnapshot(snapshot, s.path("uuid").asText(), indices,
              s.path("shards").path("total").asInt(), s.path("start_time_in_millis").asLong(),
              s.path("end_time_in_millis").asLong());
        }
        if ("FAILED".equals(state) || "PARTIAL".equals(state) || "INCOMPATIBLE".equals(state)) {
          String why = s.path("reason").asText(s.path("failures").toString());
          http.call(o, "DELETE", path, null, Duration.ofMinutes(10));
          throw FailureKind.OPENSEARCH_REFUSED.failure("snapshot " + snapshot + " of opensearch "
              + o.name() + " ended " + state + ": " + why + " (deleted from the node)");
        }
        ctx.heartbeat(state);
        OpenSearchHttp.sleep(500);
      }
      throw FailureKind.OPENSEARCH_UNAVAILABLE.failure("snapshot " + snapshot + " of opensearch "
          + o.name() + " did not finish in 12 hours");
    });
  }

  @Override
  public OpenSearchShipResult opensearchShipFiles(OpenSearchShipRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      try {
        return ship(stores.forRepository(req.repository()), stores.cipher(req.repository()), req,
            () -> ctx.heartbeat(null));
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("cannot ship " + req.opensearch().snapshotDir()
            + ": " + e.getMessage());
      }
    });
  }

  OpenSearchShipResult ship(ObjectStore store, RepositoryCipher cipher, OpenSearchShipRequest req,
      Runnable beat) throws IOException {
    OpenSearchConfig o = req.opensearch();
    String prefix = req.repository().prefix();
    String dir = OpenSearchLayout.dir(prefix, o.name(), req.backupId());
    String listKey = OpenSearchLayout.fileListKey(prefix, o.name(), req.backupId());
    CommitMark.requireUncommitted(store, listKey);
    store.abortUploads(dir);
    Path repoDir = Path.of(o.snapshotDir());
    if (!Files.isDirectory(repoDir)) {
      throw FailureKind.OPENSEARCH_REFUSED.failure("snapshotDir " + repoDir + " of opensearch "
          + o.name() + " is not a directory on this host (is host: right? is the fs repository"
          + " there?)");
    }
    String blobs = OpenSearchLayout.blobsRoot(prefix, o.name());
    // Uploads of shared blobs left open by an attempt that died (the abort above covers only
    // the backup's own directory): each is aborted when this attempt stores that key itself.
    // An upload of the same key by a ship still running would otherwise complete over this
    // one's blob (the list of one of them would then name the other's ciphertext); aborted,
    // that ship fails loudly and its retry keeps this blob.
    Map<String, List<String>> leftOpen = new HashMap<>();
    for (ObjectStore.PendingUpload u : store.pendingUploads(blobs)) {
      leftOpen.computeIfAbsent(u.key(), k -> new ArrayList<>()).add(u.uploadId());
    }
    Map<String, OpenSearchFiles.Entry> previous = new HashMap<>();
    newest(store, prefix, o.name()).ifPresent(m -> {
      for (OpenSearchFiles.Entry e : OpenSearchFiles.readList(store, cipher, m.fileListKey())) {
        if (e.key().startsWith(blobs)) previous.put(e.path(), e);
      }
    });
    List<OpenSearchFiles.Entry> entries = new ArrayList<>();
    long raw = 0;
    long stored = 0;
    long uploadedBytes = 0;
    int uploaded = 0;
    // One compressor thread per file, as before the upload was shared: segment files are many
    // and mostly small.
    CompressionConfig perFile = new CompressionConfig(req.compression().level(), 0);
    for (String path : OpenSearchFiles.walk(repoDir)) {
      Path file = repoDir.resolve(path);
      long size;
      String sha;
      try {
        size = Files.size(file);
        sha = OpenSearchFiles.sha256(file);
      } catch (java.nio.file.NoSuchFileException gone) {
        continue; // the node removed an older generation while we walked: not needed
      }
      OpenSearchFiles.Entry prev = previous.get(path);
      OpenSearchFiles.Entry entry;
      if (prev != null && prev.size() == size && prev.sha256().equals(sha)) {
        entry = prev;
      } else {
        String key = OpenSearchLayout.storedKey(prefix, o.name(), req.backupId(), path);
        Optional<OpenSearchFiles.Entry> kept = Optional.empty();
        if (key.startsWith(blobs) && store.exists(key)) {
          kept = readsBackAs(store, cipher, key, path, size, sha, beat);
          // Never rewrite a stored blob another backup may list: its ciphertext would change.
          if (kept.isEmpty()) key = dir + "blobs/" + path;
        }
        if (kept.isPresent()) {
          entry = kept.get();
        } else {
          for (String uploadId : leftOpen.getOrDefault(key, List.of())) {
            store.abortUpload(key, uploadId);
          }
          PartUploader sink;
          try {
            sink = SealedUpload.file(store, cipher, req.repository(), perFile, key, file, beat);
          } catch (java.nio.file.NoSuchFileException gone) {
            continue;
          }
          entry = new OpenSearchFiles.Entry(path, size, sha, key, sink.storedBytes(),
              sink.sha256Hex());
          uploaded++;
          uploadedBytes += sink.storedBytes();
        }
      }
      entries.add(entry);
      raw += size;
      stored += entry.storedBytes();
      beat.run();
    }
    store.put(listKey, OpenSearchFiles.listBytes(cipher, listKey, entries),
        "application/octet-stream");
    log.info("opensearch {}: {} files in the fs repository, {} uploaded ({} bytes)", o.name(),
        entries.size(), uploaded, uploadedBytes);
    return new OpenSearchShipResult(listKey, entries.size(), uploaded, raw, stored,
        uploadedBytes, "zstd level " + req.compression().level() + " per file");
  }

  /**
   * The stored shared blob at {@code key} when it is this file, read back whole: a blob the
   * newest backup does not list was stored by an attempt that failed after it (a killed worker,
   * an outage mid-ship; the retry of that attempt meets it) or by a ship of the same node still
   * running. Blobs never change under their name, so reading it back and finding the file's
   * bytes makes it as good as a fresh upload, and the next backup, which reuses only shared
   * blobs, ships it no more. Empty when it is not these bytes or does not read back (then the
   * caller stores the file under the backup's own directory, never over the blob, which another
   * backup may list with its ciphertext's digest).
   */
  static Optional<OpenSearchFiles.Entry> readsBackAs(ObjectStore store, RepositoryCipher cipher,
      String key, String path, long size, String sha, Runnable beat) throws IOException {
    Path tmp = Files.createTempFile("lifeboat-blob-", ".check");
    try {
      RedisBackupActivitiesImpl.Download d =
          RedisBackupActivitiesImpl.download(store, cipher, key, tmp, beat);
      if (d.rawBytes() == size && OpenSearchFiles.sha256(tmp).equals(sha)) {
        log.info("{} was stored by an earlier attempt and reads back as the node's file: kept",
            key);
        return Optional.of(new OpenSearchFiles.Entry(path, size, sha, key, d.storedBytes(),
            d.sha256()));
      }
      log.warn("{} is stored but is not the node's {}: stored under the backup instead", key,
          path);
      return Optional.empty();
    } catch (io.temporal.failure.ApplicationFailure e) {
      if (!FailureKind.BACKUP_CORRUPT.type().equals(e.getType())) throw e;
      log.warn("{} is stored but does not read back ({}): stored under the backup instead", key,
          e.getOriginalMessage());
      return Optional.empty();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public OpenSearchVerifyResult opensearchVerifyStored(OpenSearchVerifyRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      return OpenSearchScratch.verify(http, stores.forRepository(req.repository()),
          stores.cipher(req.repository()), req, () -> ctx.heartbeat(null));
    });
  }

  @Override
  public void opensearchCommitManifest(RepositoryConfig repo, OpenSearchManifest manifest) {
    typed(() -> {
      ObjectStore store = stores.forRepository(repo);
      String key = OpenSearchLayout.manifestKey(repo.prefix(), manifest.name(),
          manifest.backupId());
      OpenSearchManifest stamped = manifest.encryption() != null ? manifest
          : manifest.withEncryption(RepositoryCipher.infoOf(store, manifest.fileListKey()));
      CommitMark.commitAfter(store, key, stamped, json, manifest.fileListKey(), "file list");
      return null;
    });
  }

  @Override
  public List<String> opensearchApplyRetention(OpenSearchRetentionRequest req) {
    return typed(() -> {
      OpenSearchConfig o = req.opensearch();
      ObjectStore store = stores.forRepository(req.repository());
      String prefix = req.repository().prefix();
      List<String> gone = new ArrayList<>();
      List<String> expired = Retention.apply(store,
          OpenSearchLayout.snapshotsRoot(prefix, o.name()), Instant.ofEpochMilli(req.nowMillis()),
          new Retention.Policy(1, Duration.ofDays(req.retentionDays()), Duration.ofDays(1),
            req.keep(), Retention.zone(req.timezone())),
          Retention.Dir::holdsManifest, Retention.Dir::idTime, LocalCopy.NONE,
          (id, committed) -> gone.add(id)).expired();
      for (String id : gone) {
        String path = "/_snapshot/" + o.repository() + "/" + OpenSearchLayout.snapshotName(id);
        OpenSearchHttp.Response r = http.call(o, "DELETE", path, null, Duration.ofHours(1));
        if (r.status() != 200 && r.status() != 404) throw OpenSearchHttp.failure(o, "DELETE",
            path, r);
        log.info("retention: removed opensearch backup {} of {} and its snapshot", id, o.name());
      }
      collectBlobs(store, stores.cipher(req.repository()), prefix, o.name(),
          Instant.ofEpochMilli(req.nowMillis()).minus(Duration.ofDays(1)));
      return expired;
    });
  }

  /** Deletes the stored blobs no committed backup lists, once older than the cutoff. */
  static int collectBlobs(ObjectStore store, RepositoryCipher cipher, String prefix, String name,
      Instant cutoff) {
    Set<String> referenced = new HashSet<>();
    for (OpenSearchManifest m : committed(store, prefix, name)) {
      for (OpenSearchFiles.Entry e : OpenSearchFiles.readList(store, cipher, m.fileListKey())) {
        referenced.add(e.key());
      }
    }
    int deleted = 0;
    for (String key : store.list(OpenSearchLayout.blobsRoot(prefix, name))) {
      if (referenced.contains(key)) continue;
      Optional<ObjectStore.ObjectInfo> info = store.head(key);
      if (info.isPresent() && info.get().lastModified() != null
          && info.get().lastModified().isBefore(cutoff)) {
        store.delete(key);
        deleted++;
      }
    }
    return deleted;
  }

  @Override
  public void opensearchDiscardIncomplete(OpenSearchDiscardRequest req) {
    typed(() -> {
      OpenSearchConfig o = req.opensearch();
      boolean discarded = Discard.leftovers(stores.forRepository(req.repository()),
          OpenSearchLayout.dir(req.repository().prefix(), o.name(), req.backupId()), true,
          LocalCopy.NONE);
      if (discarded) {
        try {
          http.call(o, "DELETE", "/_snapshot/" + o.repository() + "/"
              + OpenSearchLayout.snapshotName(req.backupId()), null, Duration.ofMinutes(30));
        } catch (RuntimeException e) {
          log.warn("could not delete snapshot of failed backup {} on opensearch {}: {}",
              req.backupId(), o.name(), e.getMessage());
        }
      }
      return null;
    });
  }

  /** Committed OpenSearch backups of a name, oldest first (ids sort by time). */
  public static List<OpenSearchManifest> committed(ObjectStore store, String prefix,
      String name) {
    List<OpenSearchManifest> found = new ArrayList<>();
    for (String key : store.list(OpenSearchLayout.snapshotsRoot(prefix, name))) {
      if (key.endsWith("/" + io.lifeboat.repository.RepositoryLayout.MANIFEST)) {
        found.add(io.lifeboat.backup.dump.Manifests.read(store, key, OpenSearchManifest.class));
      }
    }
    found.sort(java.util.Comparator.comparing(OpenSearchManifest::backupId));
    return found;
  }

  public static Optional<OpenSearchManifest> newest(ObjectStore store, String prefix,
      String name) {
    List<OpenSearchManifest> all = committed(store, prefix, name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
