package io.lifeboat.backup.base;

import static io.lifeboat.failure.ActivityFailures.typed;

import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.repository.Discard;
import io.lifeboat.repository.LocalCopy;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Base backups. The tar stream of pg_basebackup goes two ways at once: compressed into S3, and
 * unpacked into a scratch directory where pg_verifybackup checks every file against the
 * backup's own manifest and parses the WAL the backup needs, fetched from our archive. The
 * backup is therefore proven restorable from what the repository holds before it is committed;
 * the scratch directory is removed whatever happens.
 *
 * <p>This class holds the activity surface and delegates: the two stream formats to
 * {@link WorkerCompressedStream} (format 1) and {@link ServerCompressedStream} (format 2), the
 * proof to {@link BaseBackupVerification}, the scratch directory to {@link ScratchSpace},
 * retention to {@link BaseRetention} and discard to {@link Discard}.
 */
public class BaseBackupActivitiesImpl implements BaseBackupActivities {
  private static final int CHUNK = 1 << 20;

  private final StoreFactory stores;
  private final PgTools pg;
  private final ScratchSpace scratch;
  private final WorkerCompressedStream workerCompressed;
  private final ServerCompressedStream serverCompressed;

  public BaseBackupActivitiesImpl(StoreFactory stores, PgTools pg, Secrets secrets) {
    this.stores = stores;
    this.pg = pg;
    this.scratch = new ScratchSpace(secrets);
    BaseBackupVerification verification = new BaseBackupVerification(stores, pg);
    this.workerCompressed = new WorkerCompressedStream(stores, pg, verification);
    this.serverCompressed = new ServerCompressedStream(stores, pg, verification);
  }

  @Override
  public BaseClusterFacts assessCluster(DatabaseConfig db) {
    return typed(() -> {
      try (Connection c = pg.connect(db, "lifeboat");
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select current_setting('server_version'),"
               + " current_setting('archive_mode'), current_setting('archive_command'),"
               + " (select sum(pg_database_size(oid)) from pg_database)")) {
        rs.next();
        boolean archiving = !"off".equals(rs.getString(2));
        if (!archiving) {
          throw FailureKind.ARCHIVING_OFF.failure("the cluster of " + db.name() + " at "
              + db.address() + " does not archive WAL (archive_mode = off): a base backup"
              + " without the archive cannot be restored");
        }
        return new BaseClusterFacts(rs.getString(1), true, rs.getLong(4));
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
    });
  }

  @Override
  public BaseStreamResult streamAndVerify(BaseStreamRequest req) {
    return typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      // Never over a committed backup (its data under its manifest): refused before any byte.
      io.lifeboat.storage.CommitMark.requireUncommitted(store, req.objectKey());
      ctx.getHeartbeatDetails(BaseStreamProgress.class).ifPresent(prev -> {
        // A base backup cannot resume: start clean, leaving nothing of the killed attempt.
        if (prev.uploadId() != null) store.abortUpload(prev.objectKey(), prev.uploadId());
      });
      Path dir = null;
      try {
        dir = scratch.create(req.clusterBytes(), req.backupId());
        return ServerCompressedStream.appliesTo(req, pg)
            ? serverCompressed.run(req, store, ctx, dir)
            : workerCompressed.run(req, store, ctx, dir);
      } catch (IOException e) {
        throw FailureKind.PG_TOOL_FAILED.failure("base backup stream failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw FailureKind.PG_TOOL_FAILED.failure("interrupted");
      } finally {
        if (dir != null) ScratchSpace.deleteTree(dir);
      }
    });
  }

  @Override
  public void verifyStored(BaseVerifyStoredRequest req) {
    typed(() -> {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      ObjectStore store = stores.forRepository(req.repository());
      MessageDigest sha = sha256();
      long bytes = 0;
      try (InputStream in = store.get(req.objectKey())) {
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
          bytes += n;
          ctx.heartbeat(bytes);
        }
      } catch (IOException e) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored base backup " + req.objectKey()
            + " cannot be read back: " + e.getMessage());
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(req.expectedSha256()) || bytes != req.expectedBytes()) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored base backup " + req.objectKey()
            + " does not match what was streamed: sha256 " + actual + ", " + bytes
            + " bytes; expected " + req.expectedSha256() + ", " + req.expectedBytes());
      }
      return null;
    });
  }

  @Override
  public void commitBaseManifest(RepositoryConfig repo, BaseBackupManifest manifest) {
    typed(() -> {
      ObjectStore store = stores.forRepository(repo);
      String key = RepositoryLayout.baseManifestKey(repo.prefix(), manifest.database(),
          manifest.backupId());
      if (!store.exists(manifest.objectKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + key
            + ": its base.tar.zst is not in the repository");
      }
      if (manifest.backupManifestKey() != null && !store.exists(manifest.backupManifestKey())) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("refusing to commit " + key
            + ": its backup_manifest.zst is not in the repository");
      }
      // The key the stored object's header names: a rotation may have happened since the upload.
      BaseBackupManifest stamped = manifest.encryption() != null ? manifest
          : manifest.withEncryption(RepositoryCipher.infoOf(store, manifest.objectKey()));
      // Never over a committed base backup: a retry of this commit is the same bytes.
      io.lifeboat.storage.CommitMark.write(store, key, BaseBackups.json(stamped));
      return null;
    });
  }

  @Override
  public BaseRetentionResult applyBaseRetention(BaseRetentionRequest req) {
    return typed(() -> BaseRetention.apply(stores.forRepository(req.repository()), req));
  }

  @Override
  public void discardIncompleteBase(DiscardRequest req) {
    typed(() -> discard(stores.forRepository(req.repository()), req));
  }

  static boolean discard(ObjectStore store, DiscardRequest req) {
    return Discard.leftovers(store, RepositoryLayout.baseBackupDir(req.repository().prefix(),
        req.database(), req.backupId()), true, LocalCopy.NONE);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
