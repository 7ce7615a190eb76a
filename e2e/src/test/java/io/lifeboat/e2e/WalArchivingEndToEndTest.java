package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A real cluster archiving through the launcher's asynchronous wal-push under pgbench: every
 * segment PostgreSQL marked done is in S3 with the checksum of its bytes, pushing it again is a
 * no-op, other bytes under its name are refused, and wal-fetch gives the bytes back.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class WalArchivingEndToEndTest {
  private RealStack stack;
  private ArchivingCluster cluster;
  private String db;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_wal";
    cluster = ArchivingCluster.of(stack, db);
    config = cluster.stackConfig;
  }

  @AfterEach
  void down() throws Exception {
    if (cluster != null) cluster.close();
    stack.close();
  }

  @Test
  void archivesUnderLoadWithChecksumsAndRefusesToOverwrite() throws Exception {
    cluster.pgbench("-i", "-s", "5", "-q");
    cluster.pgbench("-c", "2", "-j", "2", "-t", "2000", "-N");
    String last = cluster.psql("select pg_walfile_name(pg_current_wal_lsn())");
    cluster.psql("select pg_switch_wal()");
    cluster.awaitArchived(last);
    assertEquals("0", cluster.psql("select failed_count from pg_stat_archiver"), cluster.log());

    WalArchive archive = new WalArchive(stack.store(), stack.prefix, db, 3);
    List<String> segments = archive.segments();
    assertTrue(segments.size() >= 3, "pgbench wrote several segments: " + segments);
    assertTrue(segments.contains(last), last + " in " + segments);
    // Each segment still in pg_wal and marked done is stored with the sha256 of its bytes.
    int compared = 0;
    for (String seg : segments) {
      Path local = cluster.data.resolve("pg_wal").resolve(seg);
      if (!Files.exists(local)) continue;   // recycled after archiving
      Map<String, String> meta = archive.info(seg).orElseThrow().metadata();
      assertEquals(sha256(Files.readAllBytes(local)), meta.get(RepositoryLayout.META_SHA256), seg);
      compared++;
    }
    assertTrue(compared >= 1, "compared at least one segment");
    // The shipper (as the postgres OS user) encrypted them when the config names a key.
    try (java.io.InputStream in = stack.store().get(archive.key(last))) {
      assertEquals(stack.cipher().enabled(),
          io.lifeboat.storage.crypt.RepositoryCipher.writtenWith(in)
              .filter(id -> id.equals(stack.cipher().keyId())).isPresent(), last);
    }

    // wal-fetch (as restore_command runs it) returns the same bytes; a missing one exits 1.
    Path restored = stack.dir.resolve("restored");
    RealStack.Run fetch = stack.cli("wal-fetch", "--config", config.toString(), "--database", db,
        last, restored.toString());
    assertEquals(0, fetch.exit(), fetch.err());
    assertEquals(sha256(Files.readAllBytes(restored)),
        archive.info(last).orElseThrow().metadata().get(RepositoryLayout.META_SHA256));
    RealStack.Run missing = stack.cli("wal-fetch", "--config", config.toString(), db,
        "0000000100000000000000FF", stack.dir.resolve("nope").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("not in the WAL archive"), missing.err());
    assertFalse(Files.exists(stack.dir.resolve("nope")));

    // restore_command's asynchronous path, as postgres: each segment in order, verified,
    // from the prefetcher's spool; a name the archive lacks exits 1.
    for (String seg : segments) {
      Path dest = cluster.dir.resolve("RECOVERYXLOG");
      RealStack.Run got = cluster.launcherAsPostgres("wal-fetch", "--config",
          cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db, seg,
          dest.toString());
      assertEquals(0, got.exit(), seg + ": " + got.err());
      assertEquals(archive.info(seg).orElseThrow().metadata().get(RepositoryLayout.META_SHA256),
          sha256(Files.readAllBytes(dest)), seg);
      Files.delete(dest);
    }
    RealStack.Run absent = cluster.launcherAsPostgres("wal-fetch", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db,
        "00000002.history", cluster.dir.resolve("h").toString());
    assertEquals(1, absent.exit(), absent.err());
    assertFalse(Files.exists(cluster.dir.resolve("h")));

    // The same file again, through the asynchronous path: a no-op, exit 0.
    Path copy = cluster.dir.resolve("again");
    Files.copy(restored, copy);
    Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    RealStack.Run again = cluster.launcherAsPostgres("wal-push", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db,
        copy.toString(), last);
    assertEquals(0, again.exit(), again.err());

    // Different bytes under an archived name: refused with one line, the archive unchanged.
    byte[] other = Files.readAllBytes(copy);
    other[other.length / 2] ^= 1;
    Files.write(copy, other);
    String before = archive.info(last).orElseThrow().metadata().get(RepositoryLayout.META_SHA256);
    RealStack.Run conflict = cluster.launcherAsPostgres("wal-push", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db,
        copy.toString(), last);
    assertEquals(1, conflict.exit(), conflict.err());
    assertEquals(1, conflict.err().strip().lines().count(), conflict.err());
    assertTrue(conflict.err().contains("already archived with different content"), conflict.err());
    assertEquals(before, archive.info(last).orElseThrow().metadata().get(RepositoryLayout.META_SHA256));

    // The JVM path refuses the same way.
    RealStack.Run sync = stack.cli("wal-push", "--config", config.toString(), "--database", db,
        copy.toString(), last);
    assertEquals(1, sync.exit());
    assertTrue(sync.err().contains("different content"), sync.err());
  }

  /**
   * Wrong S3 keys: PostgreSQL's archiver fails (one line per attempt in its log), nothing is
   * marked archived, WAL waits in pg_wal; with the keys fixed it catches up by itself.
   */
  @Test
  void refusedCredentialsHoldTheWalUntilFixed() throws Exception {
    String good = Files.readString(cluster.envFile);
    String bad = good.replaceFirst("LIFEBOAT_S3_SECRET_KEY=.*", "LIFEBOAT_S3_SECRET_KEY=wrong");
    ArchivingCluster.sh("sh", "-c", "cat > " + cluster.envFile + " <<'EOF'\n" + bad + "EOF");
    String seg = cluster.psql("select pg_walfile_name(pg_current_wal_lsn())");
    cluster.psql("create table t as select generate_series(1, 1000) g");
    cluster.psql("select pg_switch_wal()");
    for (int i = 0; !cluster.log().contains("S3 refused the credentials"); i++) {
      if (i > 3000) throw new AssertionError("no refusal in the server log:\n" + cluster.log());
      Thread.sleep(100);
    }
    // The command's own line reaches the server log while it runs; the archiver counts the
    // failure only after the command has exited (PostgreSQL logs "archive command failed", then
    // reports to pg_stat_archiver), so on a loaded machine the count can still be 0 here.
    for (int i = 0;
        Integer.parseInt(cluster.psql("select failed_count from pg_stat_archiver")) < 1; i++) {
      if (i > 600) throw new AssertionError("the archiver never counted the failure:\n"
          + cluster.log());
      Thread.sleep(100);
    }
    assertEquals("", cluster.psql("select coalesce(last_archived_wal, '') from pg_stat_archiver"));
    assertTrue(cluster.log().lines().filter(l -> l.contains("S3 refused the credentials"))
        .allMatch(l -> l.contains("lifeboat: wal-push " + seg)), cluster.log());
    WalArchive archive = new WalArchive(stack.store(), stack.prefix, db, 3);
    assertTrue(archive.segments().isEmpty(), archive.segments().toString());

    ArchivingCluster.sh("sh", "-c", "cat > " + cluster.envFile + " <<'EOF'\n" + good + "EOF");
    cluster.awaitArchived(seg);
    assertTrue(archive.segments().contains(seg), archive.segments().toString());
  }

  @Test
  void corruptObjectIsNeverRestored() throws Exception {
    WalArchive archive = new WalArchive(stack.store(), stack.prefix, db, 3);
    String name = "000000010000000000000042";
    byte[] raw = new byte[16 * 1024];
    // An object whose recorded checksum is not that of its bytes (as bit rot would leave it).
    ObjectStore store = stack.store();
    String key = archive.key(name);
    store.putIfAbsent(key, com.github.luben.zstd.Zstd.compress(new byte[] {1, 2, 3}),
        "application/zstd", Map.of(RepositoryLayout.META_SHA256, sha256(raw)));
    assertEquals(sha256(raw), store.head(key).orElseThrow().metadata()
        .get(RepositoryLayout.META_SHA256));
    Path dest = stack.dir.resolve("dest");
    StorageException e = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> archive.fetch(name, dest));
    assertEquals(FailureKind.BACKUP_CORRUPT, e.kind());
    assertFalse(Files.exists(dest));
    try (var files = Files.list(stack.dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("lifeboat-")),
          "no temporary file left");
    }
  }

  @Test
  void badInputIsOneLine() throws Exception {
    Path seg = stack.dir.resolve("seg");
    Files.write(seg, new byte[] {1});
    RealStack.Run unknown = stack.cli("wal-push", "--config", config.toString(), "--database",
        "no_such_db", seg.toString(), "000000010000000000000001");
    assertEquals(2, unknown.exit());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    assertTrue(unknown.err().contains("unknown database 'no_such_db'"), unknown.err());
    RealStack.Run badName = cluster.launcherAsPostgres("wal-push", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database", db,
        seg.toString(), "not-a-segment");
    assertEquals(2, badName.exit());
    assertTrue(badName.err().startsWith("lifeboat: ") && badName.err().contains("not a WAL file name"),
        badName.err());
    // Unknown database through the asynchronous path: the shipper refuses to start, one line.
    Path readable = cluster.dir.resolve("seg1");
    Files.write(readable, new byte[] {1});
    RealStack.Run asyncUnknown = cluster.launcherAsPostgres("wal-push", "--config",
        cluster.config.toString(), "--spool", cluster.spool.toString(), "--database",
        "no_such_db", readable.toString(), "000000010000000000000001");
    assertEquals(2, asyncUnknown.exit(), asyncUnknown.err());
    assertTrue(asyncUnknown.err().contains("unknown database 'no_such_db'"), asyncUnknown.err());
    assertTrue(stack.keys().stream().noneMatch(k -> k.contains("/no_such_db/")), stack.keys().toString());
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
