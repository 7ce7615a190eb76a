package io.lifeboat.readiness;

import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalContinuity;
import io.lifeboat.wal.WalNames;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The checks of one repository, from the bucket alone (as a recovery would read it): the
 * repository key loads and opens the newest dump and base backup, the newest base backup's WAL
 * is there without a gap up to the newest segment, and a copy's recovery point is within the
 * RPO of the repository it copies.
 */
final class RepositoryReadiness {
  private final StoreFactory stores;
  private final Secrets secrets;

  RepositoryReadiness(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.secrets = secrets;
  }

  List<ReadinessFinding> check(RepositoryProbe p) {
    List<ReadinessFinding> out = new ArrayList<>();
    RepositoryConfig repo = p.repository();
    ObjectStore store = stores.forRepository(repo);
    Key key;
    try {
      // Afresh every run: a key file moved away since the worker started must show here.
      key = new Key(repo.encryption() == null ? RepositoryCipher.none()
          : StoreFactory.load(repo.encryption(), secrets), null);
    } catch (RuntimeException e) {
      key = new Key(null, "the repository key does not load: " + e.getMessage());
    }
    for (String db : p.databases()) {
      String path = "db/" + db + "/" + p.name();
      Key k = key;
      out.add(guard(path, ReadinessFinding.KEYS, p, () -> keys(store, p, db, path, k)));
      out.add(guard(path, ReadinessFinding.WAL, p, () -> wal(store, p, db, path)));
      if (p.compareWith() != null) {
        out.add(guard(path, ReadinessFinding.RPO, p, () -> rpo(store, p, db, path)));
      }
    }
    return out;
  }

  /** The repository's cipher, or why it did not load. */
  private record Key(RepositoryCipher cipher, String problem) {}

  private interface Check {
    ReadinessFinding run() throws Exception;
  }

  /** A check that cannot read the bucket is a problem of that check, never a failed run. */
  private static ReadinessFinding guard(String path, String check, RepositoryProbe p, Check c) {
    try {
      return c.run();
    } catch (Exception e) {
      return ReadinessFinding.problem(path, check, "the " + p.name() + " repository ("
          + p.repository().endpoint() + ", bucket " + p.repository().bucket() + ") could not be"
          + " read: " + e.getMessage());
    }
  }

  private ReadinessFinding keys(ObjectStore store, RepositoryProbe p, String db, String path,
      Key key) throws Exception {
    if (key.problem() != null) return ReadinessFinding.problem(path, ReadinessFinding.KEYS,
        key.problem());
    String prefix = p.repository().prefix();
    List<String> read = new ArrayList<>();
    Optional<BackupManifest> dump = Manifests.newest(store, prefix, db);
    if (dump.isPresent()) {
      String k = dump.get().objectKey();
      key.cipher().requireReadable(dump.get().encryption(), "dump " + dump.get().backupId());
      read.add("dump " + dump.get().backupId() + " (" + sample(store, key.cipher(), k,
          p.sampleBytes(), "dump " + dump.get().backupId() + " of " + db) + " bytes)");
    }
    Optional<BaseBackupManifest> base = new BaseBackups(store, prefix, db).newest();
    if (base.isPresent()) {
      String k = base.get().objectKey();
      key.cipher().requireReadable(base.get().encryption(), "base backup "
          + base.get().backupId());
      read.add("base " + base.get().backupId() + " (" + sample(store, key.cipher(), k,
          p.sampleBytes(), "base backup " + base.get().backupId() + " of " + db) + " bytes)");
    }
    if (read.isEmpty()) {
      return ReadinessFinding.problem(path, ReadinessFinding.KEYS, "no committed dump or base"
          + " backup of " + db + " in the " + p.name() + " repository: nothing to recover from");
    }
    String with = key.cipher().enabled() ? "key " + key.cipher().keyId() : "no key (plaintext)";
    return ReadinessFinding.ok(path, ReadinessFinding.KEYS, "read through " + with + ": "
        + String.join(", ", read));
  }

  private static int sample(ObjectStore store, RepositoryCipher cipher, String key, int bytes,
      String what) throws Exception {
    try (InputStream in = cipher.open(store.get(key), key, what)) {
      byte[] b = in.readNBytes(bytes);
      if (b.length == 0) throw new java.io.IOException(key + " is empty");
      return b.length;
    }
  }

  private ReadinessFinding wal(ObjectStore store, RepositoryProbe p, String db, String path)
      throws Exception {
    String prefix = p.repository().prefix();
    Optional<BaseBackupManifest> base = new BaseBackups(store, prefix, db).newest();
    if (base.isEmpty()) {
      return ReadinessFinding.problem(path, ReadinessFinding.WAL, "no base backup of " + db
          + " in the " + p.name() + " repository: no point-in-time recovery from it");
    }
    BaseBackupManifest b = base.get();
    long segSize = b.walSegmentSize() > 0 ? b.walSegmentSize() : p.wal().segmentSizeBytes();
    WalArchive archive = new WalArchive(store, prefix, db, p.wal().compressionLevel());
    List<String> segments = archive.segments();
    TreeSet<Integer> timelines = archive.timelines();
    Optional<String> newest = archive.newestSegment(segSize);
    long from = WalNames.segmentNumber(b.startWalSegment(), segSize);
    long stop = WalNames.segmentNumber(b.stopWalSegment(), segSize);
    long to = Math.max(stop, newest.map(s -> WalNames.segmentNumber(s, segSize)).orElse(stop));
    int target = timelines.isEmpty() ? b.timeline() : Math.max(b.timeline(), timelines.last());
    List<WalContinuity.Switch> history = List.of();
    if (target > 1 && target != b.timeline()) {
      Optional<byte[]> h = archive.read(WalNames.historyName(target));
      if (h.isEmpty()) {
        return ReadinessFinding.problem(path, ReadinessFinding.WAL, "timeline " + target
            + " has no history file in the " + p.name() + " repository: recovery cannot follow"
            + " it");
      }
      history = WalContinuity.parseHistory(new String(h.get(), StandardCharsets.UTF_8));
    }
    WalContinuity.Result r = WalContinuity.check(new HashSet<>(segments), from, to, target,
        history, segSize);
    if (r.missingCount() > 0) {
      return ReadinessFinding.problem(path, ReadinessFinding.WAL, r.missingCount()
          + " WAL segment(s) missing in the " + p.name() + " repository between base backup "
          + b.backupId() + " (" + r.from() + ") and " + r.to() + ": " + String.join(", ",
              r.missing()) + (p.compareWith() != null ? "; copy them again with `lifeboat"
              + " offsite sync --wait`" : "; recovery past the gap is impossible until a new"
              + " base backup (`lifeboat backup base " + db + "`)"));
    }
    return ReadinessFinding.ok(path, ReadinessFinding.WAL, "base backup " + b.backupId()
        + " and its WAL " + r.from() + " .. " + r.to() + " (" + r.checked() + " segments)"
        + " present and continuous");
  }

  /**
   * How far the copy's recovery point is behind its source's: the newest segment the copy holds
   * against the newest the source holds (their recorded write times). When the source cannot
   * be read (it may be the thing that was lost), the copy's age against now.
   */
  private ReadinessFinding rpo(ObjectStore store, RepositoryProbe p, String db, String path)
      throws Exception {
    long limit = p.rpoMinutes() * 60L;
    WalArchive copy = new WalArchive(store, p.repository().prefix(), db,
        p.wal().compressionLevel());
    long segSize = p.wal().segmentSizeBytes();
    Optional<String> newest = copy.newestSegment(segSize);
    if (newest.isEmpty()) {
      return ReadinessFinding.problem(path, ReadinessFinding.RPO, "the " + p.name()
          + " repository holds no WAL of " + db + ": its recovery point is the newest dump at"
          + " best");
    }
    Instant point = copy.coveredUntil(newest.get()).orElseThrow();
    Instant source;
    String against;
    try {
      WalArchive src = new WalArchive(stores.forRepository(p.compareWith()),
          p.compareWith().prefix(), db, p.wal().compressionLevel());
      Optional<String> srcNewest = src.newestSegment(segSize);
      if (srcNewest.isPresent() && srcNewest.get().equals(newest.get())) {
        return ReadinessFinding.ok(path, ReadinessFinding.RPO, "recovery point " + point
            + " (" + newest.get() + "), level with the source's newest segment");
      }
      source = srcNewest.flatMap(src::coveredUntil).orElse(point);
      against = "the source's newest segment " + srcNewest.orElse("(none)");
    } catch (RuntimeException unreadable) {
      source = Instant.ofEpochMilli(p.nowMillis());
      against = "now (the source repository could not be read: " + unreadable.getMessage()
          + ")";
    }
    long behind = Math.max(0, source.getEpochSecond() - point.getEpochSecond());
    String detail = "recovery point " + point + " (" + newest.get() + "), " + behind
        + " s behind " + against + "; target " + limit + " s (targets.rpoMinutes)";
    if (behind > limit) {
      return ReadinessFinding.problem(path, ReadinessFinding.RPO, detail + ": check the WAL"
          + " sync schedule of " + db + " (offsite-wal-..., `lifeboat schedules list`) or run"
          + " `lifeboat offsite sync --wait`");
    }
    return ReadinessFinding.ok(path, ReadinessFinding.RPO, detail);
  }
}
