package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.wal.BaseBackups;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.OffsiteLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A base backup of a real archiving cluster is copied offsite with the cluster's WAL: every
 * archived segment arrives with the checksum metadata wal-fetch checks, so the offsite copy
 * alone can replay.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class OffsiteBaseBackupEndToEndTest {
  private RealStack stack;
  private OffsiteProxy offsite;
  private ArchivingCluster cluster;
  private String db;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    offsite = new OffsiteProxy();
    db = stack.tag + "_offbase";
    int port = ArchivingCluster.freePort();
    config = stack.config("offbase", root -> {
      ArchivingCluster.point(root, db, port);
      offsite.addTo(root);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
      cluster.psql("create database " + db);
    } catch (Exception e) {
      if (cluster != null) cluster.close();
      offsite.close();
      stack.close();
      throw e;
    }
    stack.startWorker(offsite.env());
  }

  @AfterEach
  void down() throws Exception {
    if (cluster != null) cluster.close();
    stack.close();
    offsite.close();
  }

  @Test
  void baseBackupAndItsWalLandOffsiteWithTheirChecksums() throws Exception {
    cluster.pgbench("-i", "-s", "1", "-q");
    String beforeBase = cluster.psql("select pg_walfile_name(pg_current_wal_lsn())");
    cluster.psql("select pg_switch_wal()");
    cluster.awaitArchived(beforeBase);

    RealStack.Run run = stack.cli(offsite.env(), "backup", "base", db, "--wait", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.err() + run.out());
    BaseBackupManifest m = new BaseBackups(stack.store(), stack.prefix, db).committed().get(0);

    CopyRecord copy = stack.temporal().client()
        .newUntypedWorkflowStub("offsite-db-base-" + db + "-" + m.backupId())
        .getResult(CopyRecord.class);
    assertEquals(copy.copied(), copy.verified(), copy.toString());
    assertTrue(copy.backupsCopied().contains("db/" + db + "/base/" + m.backupId() + "/"),
        copy.toString());

    String walRoot = RepositoryLayout.walRoot(stack.prefix, db);
    List<String> primaryWal = stack.store().list(walRoot);
    assertFalse(primaryWal.isEmpty());
    try (S3Client s3 = offsite.client()) {
      List<String> there = s3.listObjectsV2Paginator(b -> b.bucket(OffsiteProxy.BUCKET)
          .prefix(stack.prefix + "/")).contents().stream().map(o -> o.key()).toList();
      assertTrue(there.contains(m.objectKey()), there.toString());
      // Every segment archived when the copy listed the archive (more may have come since).
      for (String key : primaryWal) {
        if (!there.contains(key)) {
          assertTrue(key.compareTo(there.stream().filter(k -> k.startsWith(walRoot)).max(
              String::compareTo).orElseThrow()) > 0, key + " missing offsite");
          continue;
        }
        Map<String, String> src = stack.store().head(key).orElseThrow().metadata();
        Map<String, String> dst =
            s3.headObject(b -> b.bucket(OffsiteProxy.BUCKET).key(key)).metadata();
        assertEquals(src.get(RepositoryLayout.META_SHA256), dst.get(RepositoryLayout.META_SHA256),
            key);
        assertTrue(dst.containsKey(OffsiteLayout.META_COPY_SHA256), key);
      }
    }
  }
}
