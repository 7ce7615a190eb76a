package io.lifeboat.backup.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.process.Tools;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a base backup restorable from what the repository holds, before it is committed: the
 * WAL range its backup_manifest names (fetched from the archive, or streamed with it and then
 * awaited in the archive), pg_verifybackup over the unpacked copy (or the CRC32C sums taken in
 * the stream, where they replace its second read), and the facts the manifest records.
 */
final class BaseBackupVerification {
  private static final Logger log = LoggerFactory.getLogger(BaseBackupVerification.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreFactory stores;
  private final PgTools pg;

  BaseBackupVerification(StoreFactory stores, PgTools pg) {
    this.stores = stores;
    this.pg = pg;
  }

  /** What verification learnt of the backup: its WAL range, cluster identity and a summary. */
  record Facts(String startLsn, String stopLsn, int timeline, String startSegment,
      String stopSegment, long segmentSize, String pgVersion, String systemId,
      String verification) {}

  /**
   * WAL range from backup_manifest, then pg_verifybackup. Format 1 ({@code walFromArchive}):
   * the WAL is fetched from the archive first. Format 2: pg_wal already holds the WAL streamed
   * with the backup, and while pg_verifybackup runs the archive is watched until it holds the
   * same segments, so a committed backup is restorable from the repository alone either way.
   */
  Facts verify(BaseStreamRequest req, ObjectStore store, Path dir, Runnable beat,
      boolean walFromArchive, Map<String, ChecksummingUnpacker.FileSum> streamSums)
      throws IOException, InterruptedException {
    Path manifestFile = dir.resolve("backup_manifest");
    if (!Files.exists(manifestFile)) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("the base backup stream has no backup_manifest");
    }
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    // Checksums taken in the stream replace pg_verifybackup's second read of every byte.
    boolean checksumsInStream = streamSums != null && ManifestChecksums.checkable(manifest);
    if (checksumsInStream) {
      var mismatch = ManifestChecksums.firstMismatch(manifest, streamSums);
      if (mismatch.isPresent()) {
        throw FailureKind.BASE_VERIFY_FAILED.failure("base backup " + req.backupId() + " of "
            + req.database().name() + " does not match its backup_manifest: "
            + mismatch.get());
      }
    }
    JsonNode ranges = manifest.path("WAL-Ranges");
    if (!ranges.isArray() || ranges.isEmpty()) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("backup_manifest lists no WAL range");
    }
    Map<String, String> control = controlData(dir, req.database());
    long segSize = Long.parseLong(control.getOrDefault("Bytes per WAL segment",
        String.valueOf(req.wal().segmentSizeBytes())));
    String systemId = control.get("Database system identifier");
    String pgVersion = Files.readString(dir.resolve("PG_VERSION")).strip();

    WalArchive archive = new WalArchive(store, req.repository().prefix(), req.database().name(),
        req.wal().compressionLevel(), stores.cipher(req.repository()));
    Path walDir = dir.resolve("pg_wal");
    Files.createDirectories(walDir);
    String firstSegment = null;
    String lastSegment = null;
    int fetched = 0;
    List<String> needed = new ArrayList<>();
    for (JsonNode r : ranges) {
      int tl = r.path("Timeline").asInt();
      String from = WalNames.segmentOf(tl, r.path("Start-LSN").asText(), segSize);
      String to = WalNames.segmentBefore(tl, r.path("End-LSN").asText(), segSize);
      if (firstSegment == null) firstSegment = from;
      lastSegment = to;
      for (String s = from; s.compareTo(to) <= 0; s = WalNames.next(s, segSize)) {
        needed.add(s);
        if (!walFromArchive) continue;
        if (!archive.fetch(s, walDir.resolve(s))) {
          throw FailureKind.WAL_GAP.failure("the WAL archive of " + req.database().name()
              + " lacks " + s + ", which base backup " + req.backupId() + " needs");
        }
        fetched++;
        beat.run();
      }
    }
    JsonNode first = ranges.get(0);
    JsonNode last = ranges.get(ranges.size() - 1);
    // Format 2: the archive's copy of the backup's WAL is awaited beside pg_verifybackup.
    var watcher = walFromArchive ? null
        : HelperThreads.daemons(1, "base-archive-wait-" + req.backupId());
    java.util.concurrent.Future<Long> archived = watcher == null ? null
        : watcher.submit(() -> ArchiveWait.await(archive, needed, req.database(), pg,
            req.backupId()));
    long verifyStart = System.currentTimeMillis();
    try {
      runVerifier(req, dir, manifest, beat, checksumsInStream);
      if (archived != null) {
        long waited = HelperThreads.await(archived, beat);   // a WAL gap surfaces here
        log.info("base backup {}: its WAL was in the archive {} ms after pg_verifybackup started",
            req.backupId(), waited);
      }
    } finally {
      if (watcher != null) watcher.shutdownNow();
    }
    int files = manifest.path("Files").size();
    String wal = walFromArchive
        ? "WAL " + firstSegment + ".." + lastSegment + " (" + fetched
            + " segments) fetched from the archive and parsed"
        : "WAL " + firstSegment + ".." + lastSegment + " (" + needed.size()
            + " segments) streamed with the backup and parsed, the same segments present in the"
            + " archive";
    String verification = checksumsInStream
        ? "pg_verifybackup passed: " + files + " files checked against backup_manifest (the"
            + " manifest's checksum, file set and sizes by pg_verifybackup --skip-checksums;"
            + " every file's CRC32C by the worker as the stored stream was unpacked), " + wal
            + "; stored sha256 re-read from storage"
        : "pg_verifybackup passed: " + files + " files checked against"
            + " backup_manifest (CRC32C), " + wal + "; stored sha256 re-read from storage";
    return new Facts(first.path("Start-LSN").asText(), last.path("End-LSN").asText(),
        last.path("Timeline").asInt(), firstSegment, lastSegment, segSize, pgVersion, systemId,
        verification);
  }

  private void runVerifier(BaseStreamRequest req, Path dir, JsonNode manifest, Runnable beat,
      boolean checksumsChecked) throws IOException, InterruptedException {
    long verifyStart = System.currentTimeMillis();
    int cores = Runtime.getRuntime().availableProcessors();
    // Without checksums there is nothing worth splitting: sizes and the WAL are quick.
    List<List<String>> shards = checksumsChecked ? List.of(List.of("--skip-checksums"))
        : VerifierShards.split(manifest, Math.min(cores, 4));
    List<Process> verifiers = new ArrayList<>();
    List<StderrTail> outputs = new ArrayList<>();
    try {
      for (List<String> extra : shards) {
        List<String> argv = new ArrayList<>();
        argv.add(pg.tool("pg_verifybackup"));
        argv.addAll(extra);
        argv.add(dir.toString());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        verifiers.add(p);
        outputs.add(new StderrTail(p.getInputStream(), "pg_verifybackup"));
      }
      // pg_verifybackup reads every byte again: minutes on a big cluster, so heartbeat meanwhile.
      for (Process p : verifiers) {
        while (!p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) beat.run();
      }
    } finally {
      verifiers.forEach(Process::destroyForcibly);
    }
    log.info("pg_verifybackup of {}: {} ms ({} processes)", req.backupId(),
        System.currentTimeMillis() - verifyStart, verifiers.size());
    for (int i = 0; i < verifiers.size(); i++) {
      String said = outputs.get(i).text();
      outputs.get(i).close();
      if (verifiers.get(i).exitValue() != 0) {
        throw FailureKind.BASE_VERIFY_FAILED.failure("pg_verifybackup rejects base backup "
            + req.backupId() + " of " + req.database().name() + ": "
            + PgFailures.lastMeaningfulLine(said));
      }
    }
  }

  /**
   * The backup's pg_control as pg_controldata reads it; where only the PostgreSQL client is
   * installed (the worker's container), the same two facts from the server it was taken from.
   */
  private Map<String, String> controlData(Path dir, DatabaseConfig db) throws IOException {
    if (!Files.isExecutable(Path.of(pg.tool("pg_controldata")))) {
      try (Connection c = pg.connect(db, null);
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("select system_identifier::text, (select setting from"
               + " pg_settings where name = 'wal_segment_size') from pg_control_system()")) {
        rs.next();
        return Map.of("Database system identifier", rs.getString(1),
            "Bytes per WAL segment", rs.getString(2));
      } catch (SQLException e) {
        throw PgFailures.fromSql(db, e);
      }
    }
    Tools.Result r = Tools.run(List.of(pg.tool("pg_controldata"), dir.toString()), Map.of(),
        Duration.ofMinutes(1), null);
    if (r.exit() != 0) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("pg_controldata cannot read the backup: "
          + PgFailures.lastMeaningfulLine(r.stderr()));
    }
    Map<String, String> out = new java.util.HashMap<>();
    for (String line : r.stdout().split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }
    return out;
  }
}
