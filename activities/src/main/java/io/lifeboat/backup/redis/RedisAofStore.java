package io.lifeboat.backup.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.CommitMark;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.SealedUpload;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The two AOF activities of a Redis backup: store the copy, prove the stored copy. */
public final class RedisAofStore {
  private RedisAofStore() {}

  /** On the server's host: copy, tar, upload (see {@link RedisAof}). */
  static RedisAofResult toRepository(StoreFactory stores, RedisCli cli, RedisAofRequest req,
      Runnable beat) {
    RedisConfig r = req.redis();
    if (r.dataDir() == null) {
      throw FailureKind.CONFIG_INVALID.failure("redis " + r.name() + " has no dataDir: the AOF"
          + " directory cannot be found");
    }
    ObjectStore store = stores.forRepository(req.repository());
    CommitMark.requireUncommitted(store, req.objectKey());
    store.abortUploads(RedisLayout.dir(req.repository().prefix(), r.name(), req.backupId()));
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("lifeboat-redis-aof");
      String[] names = RedisAof.names(cli, r);
      RedisFacts before = cli.facts(r);
      RedisAof.Copy copy = RedisAof.copy(Path.of(r.dataDir()).resolve(names[0]),
          names[1] + ".manifest", scratch.resolve("copy").resolve(names[0]), beat);
      RedisFacts after = cli.facts(r);
      Path tar = scratch.resolve("aof.tar");
      RedisAof.tar(scratch.resolve("copy"), names[0], tar);
      PartUploader sink = SealedUpload.file(store, stores.cipher(req.repository()),
          req.repository(), req.compression(), req.objectKey(), tar, beat);
      return new RedisAofResult(req.objectKey(), names[0], copy.files(), Files.size(tar),
          sink.storedBytes(), sink.sha256Hex(), copy.attempts(), copy.fixed(), before, after);
    } catch (IOException e) {
      if (io.lifeboat.failure.ActivityFailures.diskFull(e)) {
        throw FailureKind.DISK_FULL.failure("no space left in " + scratch
            + " for the AOF copy of " + r.name());
      }
      throw FailureKind.REDIS_TOOL_FAILED.failure("AOF copy of " + r.name() + " failed: " + e);
    } finally {
      RedisBackupActivitiesImpl.deleteTree(scratch);
    }
  }

  /** The verification, outside Temporal too (the tests flip a byte and call it). */
  public static RedisAofVerifyResult verify(ObjectStore store, RepositoryCipher cipher,
      RedisAofVerifyRequest req, Runnable beat) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("lifeboat-redis-aof-verify");
      Path tar = scratch.resolve("aof.tar");
      var d = RedisBackupActivitiesImpl.download(store, cipher, req.aofKey(), tar, beat);
      if (!d.sha256().equals(req.expectedSha256()) || d.storedBytes() != req.expectedBytes()) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored AOF " + req.aofKey() + " does not match"
            + " its checksum: sha256 " + d.sha256() + " (" + d.storedBytes() + " bytes), expected "
            + req.expectedSha256() + " (" + req.expectedBytes() + " bytes)");
      }
      Path aofRoot = Files.createDirectories(scratch.resolve("aof"));
      RedisAofFiles.untarAndCheck(tar, aofRoot, req.dirName(), req.aofKey());
      String appendfilename = RedisAofFiles.appendfilename(aofRoot.resolve(req.dirName()));
      Path rdbDir = Files.createDirectories(scratch.resolve("rdb"));
      RedisBackupActivitiesImpl.download(store, cipher, req.rdbKey(), rdbDir.resolve("dump.rdb"),
          beat);
      try (ScratchRedis aof = ScratchRedis.startOnAof(aofRoot, req.dirName(),
              appendfilename);
           ScratchRedis rdb = ScratchRedis.start(rdbDir, "dump.rdb")) {
        long keys = aof.dbsize();
        if (keys < req.minKeys() || keys > req.maxKeys()) {
          throw FailureKind.BACKUP_CORRUPT.failure("stored AOF " + req.aofKey() + " loads with "
              + keys + " keys; the server had " + (req.minKeys() == req.maxKeys()
                  ? String.valueOf(req.minKeys()) : req.minKeys() + " to " + req.maxKeys())
              + " while the backup was taken");
        }
        beat.run();
        return compare(req, aof, rdb, keys, "redis-check-aof: all AOF files and manifest are"
            + " valid");
      }
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored AOF " + req.aofKey()
          + " cannot be read back: " + e.getMessage());
    } finally {
      RedisBackupActivitiesImpl.deleteTree(scratch);
    }
  }

  /**
   * Sampled keys (DEBUG DIGEST-VALUE) and, on a quiet source, the whole dataset (DEBUG DIGEST)
   * must equal the RDB's. On a source written during the backup the two copies are of different
   * moments: differences are not failures there, and the result counts only the equal keys.
   */
  private static RedisAofVerifyResult compare(RedisAofVerifyRequest req, ScratchRedis aof,
      ScratchRedis rdb, long keys, String checked) {
    List<String> sample = aof.someKeys(RedisBackupActivitiesImpl.SAMPLED_KEYS);
    int equal = 0;
    for (String key : sample) {
      String a = aof.digestValue(key);
      String b = rdb.digestValue(key);
      if (Objects.equals(a, b) && !a.isEmpty() && !a.startsWith("ERR")) {
        equal++;
      } else if (req.quiet()) {
        throw FailureKind.BACKUP_CORRUPT.failure("key " + key + " of stored AOF " + req.aofKey()
            + " differs from the RDB's, and the source was not written meanwhile");
      }
    }
    boolean digests = aof.digest().equals(rdb.digest());
    if (req.quiet() && !digests) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored AOF " + req.aofKey() + " holds another"
          + " dataset than the RDB (DEBUG DIGEST), and the source was not written meanwhile");
    }
    return new RedisAofVerifyResult(req.expectedSha256(), req.expectedBytes(), keys, equal,
        digests, checked);
  }
}
