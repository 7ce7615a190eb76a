package io.lifeboat.backup.artifact;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.rollback.ReleaseCommit;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.archive.EntryGuard;
import io.lifeboat.archive.SafeExtractor;
import io.lifeboat.archive.TarGzWriter;
import io.lifeboat.archive.UnsafeArchiveException;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.rollback.ReleaseFacts;
import io.lifeboat.failure.FailureKind;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class ArchiveActivitiesImpl implements ArchiveActivities {
  private static final Logger log = LoggerFactory.getLogger(ArchiveActivitiesImpl.class);
  private final StoreFactory stores;

  public ArchiveActivitiesImpl(StoreFactory stores) {
    this.stores = stores;
  }

  @Override
  public ReleaseFacts inspectRelease(ApplicationConfig app) {
    Path current = Path.of(app.currentDir());
    if (!Files.isDirectory(current)) {
      throw FailureKind.APP_RELEASE_MISSING.failure("release directory " + current + " of "
          + app.name() + " does not exist");
    }
    try {
      // current/ may be a link to releases/N (Capistrano, many CI deploys): archive what it
      // points to, or the archive would hold one link and no code.
      return ReleaseCommit.read(current.toRealPath());
    } catch (IOException e) {
      throw FailureKind.APP_RELEASE_MISSING.failure("release directory " + current + " of "
          + app.name() + " cannot be read: " + e.getMessage());
    }
  }

  @Override
  public ArchiveResult archiveToRepository(ArchiveRequest req) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      // Never over a committed backup (its data under its manifest): refused before any byte.
      io.lifeboat.storage.CommitMark.requireUncommitted(store, req.objectKey());
      ctx.getHeartbeatDetails(ArchiveProgress.class).ifPresent(prev -> {
        if (prev.uploadId() != null) {
          log.info("aborting upload {} of {} left by the previous attempt", prev.uploadId(),
              prev.objectKey());
          store.abortUpload(prev.objectKey(), prev.uploadId());
        }
      });
      List<String> missing = new ArrayList<>();
      for (ArchiveSource s : req.sources()) {
        if (!Files.exists(Path.of(s.path()), LinkOption.NOFOLLOW_LINKS)) {
          if (s.required()) {
            throw FailureKind.APP_SOURCE_MISSING.failure(s.path() + " does not exist (listed for "
                + s.nameInArchive() + ")");
          }
          missing.add(s.path());
        }
      }
      long started = System.currentTimeMillis();
      String key = req.objectKey();
      String uploadId = store.startUpload(key);
      ctx.heartbeat(new ArchiveProgress(key, uploadId, 0, 0));
      boolean done = false;
      PartUploader sink = null;
      Path localFinal = localPath(req.repository(), key);
      Path localPartial = localFinal == null ? null
          : localFinal.resolveSibling(localFinal.getFileName() + ".partial");
      try (OutputStream local = openLocal(localPartial)) {
        PartUploader[] self = new PartUploader[1];
        Runnable beat = () -> ctx.heartbeat(new ArchiveProgress(key, uploadId, 0,
            self[0] == null ? 0 : self[0].storedBytes()));
        sink = new PartUploader(store, key, uploadId, req.repository().partSizeMb() * 1024 * 1024,
            req.repository().maxUploadMbPerSecond() * 1024L * 1024L, local, beat);
        self[0] = sink;
        // tar → gzip → (encrypt) → uploader; closing the sealing stream writes its last
        // segment, and does not complete the upload (finish below does).
        OutputStream sealed = stores.cipher(req.repository()).seal(sink, key);
        TarGzWriter.Summary summary = new TarGzWriter(req.excludes(), req.digestEachFile(), beat)
            .write(req.sources(), sealed);
        if (sealed != sink) sealed.close();
        store.completeUpload(key, uploadId, sink.finish());
        done = true;
        if (local != null) {
          local.close();
          Files.move(localPartial, localFinal, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
        ctx.heartbeat(new ArchiveProgress(key, null, summary.rawBytes(), sink.storedBytes()));
        return new ArchiveResult(key, sink.storedBytes(), summary.rawBytes(), sink.sha256Hex(),
            summary.fileCount(), summary.files(), missing, started, System.currentTimeMillis(),
            localFinal == null ? null : localFinal.toString());
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("archiving into " + key + " failed: " + e.getMessage());
      } finally {
        if (!done) {
          deleteQuietly(localPartial);
          if (sink != null) sink.cancel();
          try {
            store.abortUpload(key, uploadId);
          } catch (RuntimeException e) {
            log.warn("could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
          }
        }
      }
    });
  }

  @Override
  public int verifyStoredArchive(VerifyArchiveRequest req) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      MessageDigest sha = ArtifactRepository.sha256();
      EntryGuard guard = new EntryGuard(null, req.linksMayPointAnywhere());
      long stored = 0;
      try (CountingInputStream counted = new CountingInputStream(store.get(req.objectKey()));
           DigestInputStream digest = new DigestInputStream(counted, sha);
           TarArchiveInputStream tar = SafeExtractor.open(stores.cipher(req.repository())
               .open(digest, req.objectKey(), "stored archive " + req.objectKey()))) {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          guard.check(e);
          ctx.heartbeat(null);
        }
        byte[] buf = new byte[1 << 16];
        while (digest.read(buf) > 0) {
          // the tar's zero blocks and anything after them still belong to the object
        }
        stored = counted.count();
      } catch (UnsafeArchiveException e) {
        throw FailureKind.ARCHIVE_TRAVERSAL.failure(req.objectKey() + ": " + e.getMessage());
      } catch (IOException e) {
        throw FailureKind.ARCHIVE_CORRUPT.failure("stored archive " + req.objectKey()
            + " cannot be read back: " + e.getMessage());
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(req.expectedSha256()) || stored != req.expectedBytes()) {
        throw FailureKind.ARCHIVE_CORRUPT.failure("stored archive " + req.objectKey()
            + " does not match what was uploaded: sha256 " + actual + " (" + stored
            + " bytes), expected " + req.expectedSha256() + " (" + req.expectedBytes() + " bytes)");
      }
      return guard.entries();
    });
  }

  @Override
  public void commitArtifactManifest(CommitRequest req) {
    typed(() -> {
      ObjectStore store = stores.forRepository(req.repository());
      if (!store.exists(req.manifest().objectKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + req.manifestKey()
            + ": its archive is not in the repository");
      }
      // The key the stored archive's header names: a rotation may have happened since the upload.
      ArtifactManifest stamped = req.manifest().encryption() != null ? req.manifest()
          : req.manifest().withEncryption(RepositoryCipher.infoOf(store,
              req.manifest().objectKey()));
      byte[] body;
      try {
        body = ArtifactRepository.JSON.writeValueAsBytes(stamped);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      // Never over a committed backup, not even its local copy (refused before anything).
      boolean retry = io.lifeboat.storage.CommitMark.alreadyCommitted(store, req.manifestKey(),
          body);
      Path local = localPath(req.repository(), req.manifestKey());
      if (local != null) {
        try {
          Files.createDirectories(local.getParent());
          Files.write(local, body);
        } catch (IOException e) {
          throw FailureKind.LOCAL_IO.failure("cannot write the local manifest " + local + ": "
              + e.getMessage());
        }
      }
      if (!retry) io.lifeboat.storage.CommitMark.write(store, req.manifestKey(), body); // last
      return null;
    });
  }

  @Override
  public List<String> keepNewest(KeepNewestRequest req) {
    return typed(() -> keepNewest(stores.forRepository(req.repository()), req));
  }

  /**
   * Application and configuration backups: a count (no age), and with {@code retention.keep}
   * the GFS keeps on top, by the time in each id (an id that names no time is kept by the count
   * alone); committed means root/ID/manifest.json, leftovers of failed runs are not looked at.
   * Newest first.
   */
  public static List<String> keepNewest(ObjectStore store, KeepNewestRequest req) {
    List<String> expired = new ArrayList<>(Retention.apply(store, req.root(), Instant.EPOCH,
        new Retention.Policy(req.keep(), null, null, req.gfs(), Retention.zone(req.zone())),
        Retention.Dir::holdsManifest, Retention.Dir::idTime,
        LocalCopy.wholeDir(req.repository()), (id, committed) -> { })
        .expired());
    Collections.reverse(expired);
    return expired;
  }

  @Override
  public void discardArtifact(DiscardArtifactRequest req) {
    typed(() -> discard(stores.forRepository(req.repository()), req));
  }

  public static boolean discard(ObjectStore store, DiscardArtifactRequest req) {
    return Discard.leftovers(store, req.directory(), false, LocalCopy.wholeDir(req.repository()));
  }

  private static Path localPath(io.lifeboat.config.RepositoryConfig repo, String key) {
    return repo.localCopyDir() == null ? null : Path.of(repo.localCopyDir()).resolve(key);
  }

  private static OutputStream openLocal(Path partial) throws IOException {
    if (partial == null) return null;
    Files.createDirectories(partial.getParent());
    return new java.io.BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
  }

  private static void deleteQuietly(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", p, e.getMessage());
    }
  }
}
