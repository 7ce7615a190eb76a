package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.wal.WalNames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A base backup of a real archiving cluster through the CLI and an in-process worker:
 * committed only after pg_verifybackup, WAL before it expired, and the archive check finds the
 * archive continuous, then finds a gap made on purpose.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class BaseBackupEndToEndTest {
  private static final long SEG = 16L * 1024 * 1024;
  private RealStack stack;
  private ArchivingCluster cluster;
  private String db;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_base";
    int port = ArchivingCluster.freePort();
    config = stack.config("base", root -> ArchivingCluster.point(root, db, port));
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
      cluster.psql("create database " + db);
    } catch (Exception e) {
      if (cluster != null) cluster.close();
      stack.close();
      throw e;
    }
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    if (cluster != null) cluster.close();
    stack.close();
  }

  @Test
  void verifiedBaseBackupThenContinuousArchiveThenAGapIsFound() throws Exception {
    cluster.pgbench("-i", "-s", "3", "-q");
    String beforeBase = cluster.psql("select pg_walfile_name(pg_current_wal_lsn())");
    cluster.psql("select pg_switch_wal()");
    cluster.awaitArchived(beforeBase);

    RealStack.Run run = stack.cli("backup", "base", db, "--wait", "--config", config.toString());
    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(run.out().contains("is committed"), run.out());
    assertTrue(run.out().contains("pg_verifybackup passed"), run.out());

    List<BaseBackupManifest> bases = new BaseBackups(stack.store(), stack.prefix, db).committed();
    assertEquals(1, bases.size());
    BaseBackupManifest m = bases.get(0);
    assertTrue(m.verified());
    assertEquals(1, m.timeline());
    assertEquals(WalNames.segmentOf(1, m.startLsn(), SEG), m.startWalSegment());
    assertTrue(m.stopWalSegment().compareTo(m.startWalSegment()) >= 0);
    assertEquals(cluster.psql("select system_identifier from pg_control_system()"),
        m.systemIdentifier());
    assertTrue(m.rawBytes() > m.storedBytes() && m.storedBytes() > 0);
    assertTrue(stack.store().exists(m.objectKey()));
    // Format 2 (PostgreSQL 15, the default): the server compressed the tar, and PostgreSQL's
    // backup_manifest is its own object beside it, sealed and zstd-compressed like the rest.
    assertEquals(BaseBackupManifest.FORMAT_SEPARATE_MANIFEST, m.formatVersion());
    assertEquals(io.lifeboat.repository.RepositoryLayout.baseBackupManifestKey(
        stack.prefix, db, m.backupId()), m.backupManifestKey());
    try (java.io.InputStream in = new com.github.luben.zstd.ZstdInputStream(stack.cipher().open(
        stack.store().get(m.backupManifestKey()), m.backupManifestKey(), "backup_manifest"))) {
      JsonNode pgManifest = new ObjectMapper().readTree(in);
      assertEquals(m.startLsn(), pgManifest.path("WAL-Ranges").get(0).path("Start-LSN").asText());
      assertTrue(pgManifest.path("Files").size() > 100, "the manifest lists the cluster's files");
    }
    assertTrue(m.compression().contains("by the server"), m.compression());
    assertTrue(m.verification().contains("streamed with the backup"), m.verification());
    // The checksums were taken while the stream was unpacked, so pg_verifybackup skipped its
    // second read; the raw size is what the stored object decompresses to, byte for byte.
    assertTrue(m.verification().contains("CRC32C by the worker"), m.verification());
    try (java.io.InputStream in = new com.github.luben.zstd.ZstdInputStream(stack.cipher().open(
        stack.store().get(m.objectKey()), m.objectKey(), "base backup"))) {
      assertEquals(m.rawBytes(), in.transferTo(java.io.OutputStream.nullOutputStream()));
    }
    // Sealed with the configured repository key (the example config encrypts), and says so.
    if (stack.cipher().enabled()) {
      assertEquals(stack.cipher().keyId(), m.encryption().keyId());
      try (java.io.InputStream in = stack.store().get(m.objectKey())) {
        assertEquals(java.util.Optional.of(stack.cipher().keyId()),
            io.lifeboat.storage.crypt.RepositoryCipher.writtenWith(in));
      }
    }

    // Retention: no retained base backup needs WAL from before this one's start.
    WalArchive archive = new WalArchive(stack.store(), stack.prefix, db, 3);
    List<String> segments = archive.segments();
    assertTrue(segments.stream().allMatch(s -> s.compareTo(m.startWalSegment()) >= 0), segments
        + " all from " + m.startWalSegment());
    assertTrue(segments.contains(m.startWalSegment()) && segments.contains(m.stopWalSegment()));

    // More writes, then the archive check: continuous, RPO met.
    cluster.pgbench("-c", "2", "-t", "1500", "-N");
    RealStack.Run check = stack.cli("wal", "check", db, "--json", "--config", config.toString());
    assertEquals(0, check.exit(), check.err() + check.out());
    JsonNode r = new ObjectMapper().readTree(check.out());
    assertTrue(r.get("continuous").asBoolean(), check.out());
    assertTrue(r.get("switchedSegmentArchived").asBoolean(), check.out());
    assertEquals(m.startWalSegment(), r.get("fromSegment").asText());
    assertEquals(m.backupId(), r.get("oldestBaseBackupId").asText());
    assertTrue(r.get("rpoMet").asBoolean(), check.out());

    // A segment lost from the archive: the check names it and exits 1.
    List<String> now = archive.segments();
    assertTrue(now.size() >= 3, now.toString());
    String victim = now.get(now.size() - 2);
    archive.delete(victim);
    RealStack.Run gap = stack.cli("wal", "check", db, "--config", config.toString());
    assertEquals(1, gap.exit(), gap.out());
    assertTrue(gap.out().contains("NOT continuous") && gap.out().contains(victim), gap.out());
  }

  @Test
  void badInput() throws Exception {
    RealStack.Run unknown = stack.cli("backup", "base", "no_such_db", "--config", config.toString());
    assertEquals(2, unknown.exit());
    String err = unknown.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("lifeboat: ") && err.contains("unknown database 'no_such_db'"), err);

    // The shared cluster archives nowhere (archive_mode off) or into the stack's own prefix,
    // never into this test's: either way its base backup is refused, and nothing committed.
    Path shared = stack.config("shared", root -> { });
    String sharedDb = stack.base.databases().get(0).name();
    RealStack.Run off = stack.cli("backup", "base", sharedDb, "--wait", "--config",
        shared.toString());
    if (off.exit() == 0) return;   // a shared cluster that archives: nothing to show here
    assertEquals(1, off.exit(), off.out());
    assertEquals(1, off.err().strip().lines().count(), off.err());
    assertTrue(off.err().contains("does not archive WAL")
        || off.err().contains("WAL archive of " + sharedDb + " lacks"), off.err());
    assertFalse(stack.keys().stream().anyMatch(k -> k.endsWith("manifest.json")),
        stack.keys().toString());
  }
}
