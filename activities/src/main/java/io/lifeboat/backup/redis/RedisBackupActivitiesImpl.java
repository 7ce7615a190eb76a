package io.lifeboat.backup.redis;

import static io.lifeboat.failure.ActivityFailures.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.repository.Retention;
import io.lifeboat.storage.CommitMark;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.SealedUpload;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.temporal.activity.Activity;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis backups. The snapshot is taken with {@code redis-cli --rdb}: a replication connection,
 * so it works from any machine that reaches the port, and the file it receives is the one the
 * server produced for this connection (no race with another BGSAVE, no waiting on LASTSAVE's
 * one-second clock, no reading the server's dataDir). It lands in a scratch file on the worker,
 * then goes through the same zstd, repository cipher and multipart upload as a pg_dump stream.
 */
public class RedisBackupActivitiesImpl implements RedisBackupActivities {
  private static final Logger log = LoggerFactory.getLogger(RedisBackupActivitiesImpl.class);
  private static final int CHUNK = 1 << 20;
  static final int SAMPLED_KEYS = 16;

  private final StoreFactory stores;
  private final RedisCli cli;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public RedisBackupActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.cli = new RedisCli(secrets);
  }

  @Override
  public RedisFacts redisAssess(RedisConfig redis) {
    return typed(() -> {
      cli.call(redis, 30, "PING");
      return cli.facts(redis);
    });
  }

  @Override
  public RedisSnapshotResult redisSnapshotToRepository(RedisSnapshotRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      CommitMark.requireUncommitted(store, req.objectKey());
      // A retry starts clean: a new snapshot, and no parts of the killed attempt left behind.
      store.abortUploads(RedisLayout.dir(req.repository().prefix(), req.redis().name(),
          req.backupId()));
      Path scratch = null;
      try {
        scratch = Files.createTempDirectory("lifeboat-redis-snapshot");
        return snapshot(req, store, scratch, () -> ctx.heartbeat(null));
      } catch (IOException e) {
        if (io.lifeboat.failure.ActivityFailures.diskFull(e)) {
          throw FailureKind.DISK_FULL.failure("no space left in " + scratch
              + " for the RDB snapshot of " + req.redis().name());
        }
        throw FailureKind.REDIS_TOOL_FAILED.failure("snapshot stream failed: " + e.getMessage());
      } finally {
        deleteTree(scratch);
      }
    });
  }

  RedisSnapshotResult snapshot(RedisSnapshotRequest req, ObjectStore store, Path scratch,
      Runnable beat) throws IOException {
    RedisConfig r = req.redis();
    RepositoryConfig repo = req.repository();
    long started = System.currentTimeMillis();
    RedisFacts before = cli.facts(r);
    Path rdb = scratch.resolve("dump.rdb");
    ProcessBuilder pb = cli.command(r, "--rdb", rdb.toString());
    RedisCli.Result res = RedisCli.run(pb, Duration.ofHours(6).toSeconds());
    if (res.exit() != 0 || !Files.exists(rdb)) {
      throw RedisCli.classify(r, "--rdb", res.out() + "\n" + res.err());
    }
    RedisFacts after = cli.facts(r);
    long raw = Files.size(rdb);
    String key = req.objectKey();
    PartUploader sink = SealedUpload.file(store, stores.cipher(repo), repo, req.compression(),
        key, rdb, beat);
    String compression = "zstd level " + req.compression().level() + ", "
        + req.compression().workers() + " workers";
    return new RedisSnapshotResult(key, raw, sink.storedBytes(), sink.sha256Hex(), compression,
        before, after, started, System.currentTimeMillis(), RedisCli.version("redis-cli"));
  }

  @Override
  public RedisVerifyResult redisVerifyStoredSnapshot(RedisVerifyRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      return verify(stores.forRepository(req.repository()), stores.cipher(req.repository()),
          req, () -> ctx.heartbeat(null));
    });
  }

  /** The verification itself, outside Temporal too (the tests flip a byte and call it). */
  public static RedisVerifyResult verify(ObjectStore store, RepositoryCipher cipher,
      RedisVerifyRequest req, Runnable beat) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("lifeboat-redis-verify");
      Path rdb = scratch.resolve("dump.rdb");
      Download d = download(store, cipher, req.objectKey(), rdb, beat);
      if (!d.sha256().equals(req.expectedSha256())) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + req.objectKey()
            + " does not match its checksum: sha256 " + d.sha256() + ", expected "
            + req.expectedSha256());
      }
      if (d.storedBytes() != req.expectedBytes()) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + req.objectKey() + " has "
            + d.storedBytes() + " bytes, expected " + req.expectedBytes());
      }
      String checked = checkRdb(rdb, req.objectKey());
      try (ScratchRedis s = ScratchRedis.start(scratch, "dump.rdb")) {
        long keys = s.dbsize();
        if (keys < req.minKeys() || keys > req.maxKeys()) {
          throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + req.objectKey()
              + " loads with " + keys + " keys; the server had "
              + (req.minKeys() == req.maxKeys() ? String.valueOf(req.minKeys())
                  : req.minKeys() + " to " + req.maxKeys()) + " when it was taken");
        }
        int sampled = s.sampleKeys(SAMPLED_KEYS);
        beat.run();
        return new RedisVerifyResult(d.sha256(), d.storedBytes(), keys, sampled, checked);
      }
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + req.objectKey()
          + " cannot be read back: " + e.getMessage());
    } finally {
      deleteTree(scratch);
    }
  }

  /** What a download gave: SHA-256 and size of the stored bytes. */
  public record Download(String sha256, long storedBytes, long rawBytes) {}

  /**
   * Stored object to a plain RDB file: every stored byte digested, decrypted (the cipher refuses
   * a tampered object), zstd frames checked.
   */
  public static Download download(ObjectStore store, RepositoryCipher cipher, String key,
      Path to, Runnable beat) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long raw = 0;
    OutputStream file;
    try {
      file = Files.newOutputStream(to);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot write " + to + ": " + e.getMessage());
    }
    try (OutputStream out = file;
         CountingInputStream counted = new CountingInputStream(store.get(key));
         DigestInputStream digest = new DigestInputStream(
             new BufferedInputStream(counted, CHUNK), sha);
         ZstdInputStream unzstd = new ZstdInputStream(cipher.open(digest, key,
             "stored snapshot " + key))) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = unzstd.read(buf)) > 0) {
        try {
          out.write(buf, 0, n);
        } catch (IOException e) {
          throw FailureKind.LOCAL_IO.failure("cannot write " + to + ": " + e.getMessage());
        }
        raw += n;
        beat.run();
      }
      while (digest.read(buf) > 0) {
        // trailing bytes still belong to the object
      }
      return new Download(HexFormat.of().formatHex(sha.digest()), counted.count(), raw);
    } catch (com.github.luben.zstd.ZstdIOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + key
          + " is corrupt: zstd says " + e.getMessage());
    } catch (IOException e) {
      // Reading, decrypting or decompressing the stored object (a tampered object is refused
      // by the cipher): the object is bad, a retry reads the same bytes.
      throw FailureKind.BACKUP_CORRUPT.failure("stored snapshot " + key
          + " cannot be read back: " + e.getMessage());
    }
  }

  /** redis-check-rdb on the file; its last line on success. */
  public static String checkRdb(Path rdb, String what) {
    RedisCli.Result r = RedisCli.run(new ProcessBuilder("redis-check-rdb", rdb.toString()), 600);
    if (r.exit() != 0 || !r.both().contains("RDB looks OK")) {
      throw FailureKind.BACKUP_CORRUPT.failure("redis-check-rdb rejects " + what + ": "
          + RedisCli.lastLine(r.both()));
    }
    return "redis-check-rdb: RDB looks OK";
  }

  @Override
  public RedisAofResult redisAofToRepository(RedisAofRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      return RedisAofStore.toRepository(stores, cli, req, () -> ctx.heartbeat(null));
    });
  }

  @Override
  public RedisAofVerifyResult redisVerifyStoredAof(RedisAofVerifyRequest req) {
    return typed(() -> {
      var ctx = Activity.getExecutionContext();
      return RedisAofStore.verify(stores.forRepository(req.repository()),
          stores.cipher(req.repository()), req, () -> ctx.heartbeat(null));
    });
  }

  @Override
  public void redisCommitManifest(RepositoryConfig repo, RedisManifest manifest) {
    typed(() -> {
      ObjectStore store = stores.forRepository(repo);
      String key = RedisLayout.manifestKey(repo.prefix(), manifest.name(), manifest.backupId());
      RedisManifest stamped = manifest.encryption() != null ? manifest
          : manifest.withEncryption(RepositoryCipher.infoOf(store, manifest.objectKey()));
      CommitMark.commitAfter(store, key, stamped, json, manifest.objectKey(), "snapshot");
      return null;
    });
  }

  @Override
  public List<String> redisApplyRetention(RedisRetentionRequest req) {
    return typed(() -> Retention.apply(stores.forRepository(req.repository()),
        RedisLayout.root(req.repository().prefix(), req.name()),
        Instant.ofEpochMilli(req.nowMillis()),
        new Retention.Policy(1, Duration.ofDays(req.retentionDays()), Duration.ofDays(1),
            req.keep(), Retention.zone(req.timezone())),
        Retention.Dir::holdsManifest, Retention.Dir::idTime, LocalCopy.NONE,
        (id, committed) -> log.info("retention: removed {} redis backup {} of {}",
            committed ? "expired" : "incomplete", id, req.name())).expired());
  }

  @Override
  public void redisDiscardIncomplete(RedisDiscardRequest req) {
    typed(() -> Discard.leftovers(stores.forRepository(req.repository()),
        RedisLayout.dir(req.repository().prefix(), req.name(), req.backupId()), true,
        LocalCopy.NONE));
  }

  /** Committed Redis backups of a name, oldest first (ids sort by time). */
  public static List<RedisManifest> committed(ObjectStore store, String prefix, String name) {
    List<RedisManifest> found = new java.util.ArrayList<>();
    for (String key : store.list(RedisLayout.root(prefix, name))) {
      if (key.endsWith("/" + io.lifeboat.repository.RepositoryLayout.MANIFEST)) {
        found.add(io.lifeboat.backup.dump.Manifests.read(store, key, RedisManifest.class));
      }
    }
    found.sort(java.util.Comparator.comparing(RedisManifest::backupId));
    return found;
  }

  public static Optional<RedisManifest> newest(ObjectStore store, String prefix, String name) {
    List<RedisManifest> all = committed(store, prefix, name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  static void deleteTree(Path dir) {
    if (dir == null) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove {}: {}", dir, e.getMessage());
    }
  }
}
