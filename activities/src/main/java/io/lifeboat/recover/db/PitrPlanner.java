package io.lifeboat.recover.db;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.recover.db.PlanRequest;
import io.lifeboat.recover.db.RecoveryPlan;
import io.lifeboat.recover.db.RecoveryTarget;
import io.lifeboat.wal.WalNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Base backup + WAL planning. The reachable range is from the oldest base backup's end (the
 * first consistent point) to the newest archived WAL: for a time, when that segment's last
 * byte was written ({@link WalArchive#coveredUntil}: sub-second, or the whole second S3 stored
 * an older object in); for an LSN, the end of that segment. The newest base backup that ended before the
 * target is used, and every segment from its start to the newest must be archived.
 */
class PitrPlanner {
  static final long SEGMENT = 16L * 1024 * 1024;

  /** One committed base backup as its manifest describes it. */
  record Base(String id, String objectKey, long storedBytes, Instant finishedAt, long startLsn,
      long stopLsn, int timeline, String dataDirectory) {}

  Optional<RecoveryPlan> plan(PlanRequest req, ObjectStore store) {
    String prefix = req.repository().prefix();
    String db = req.database().name();
    List<Base> bases = bases(store, prefix, db);
    if (bases.isEmpty()) return Optional.empty();
    WalArchive archive = new WalArchive(store, prefix, db, 3);
    List<String> segments = archive.segments();
    if (segments.isEmpty()) {
      throw FailureKind.RECOVERY_TARGET_INVALID.failure("base backups of " + db
          + " exist but no WAL is archived: check archive_command");
    }
    String newest = segments.stream().max((a, b) -> Long.compare(
        WalNames.segmentNumber(a, SEGMENT), WalNames.segmentNumber(b, SEGMENT))).orElseThrow();
    Instant newestAt = archive.coveredUntil(newest).orElse(Instant.EPOCH);
    long newestEnd = (WalNames.segmentNumber(newest, SEGMENT) + 1) * SEGMENT;
    Base oldest = bases.get(0);
    RecoveryTarget t = req.target();

    Base chosen;
    switch (t.mode()) {
      case RecoveryTarget.TIME -> {
        Instant when = Instant.parse(t.time());
        if (when.isBefore(oldest.finishedAt())) {
          throw FailureKind.RECOVERY_TARGET_INVALID.failure("target " + when + " is before the"
              + " oldest base backup of " + db + " (" + oldest.id() + ", consistent from "
              + oldest.finishedAt() + ")");
        }
        if (when.isAfter(newestAt)) {
          throw FailureKind.RECOVERY_TARGET_INVALID.failure("target " + when + " is after the"
              + " newest archived WAL of " + db + " (" + newest + ", which reaches " + newestAt + ")");
        }
        chosen = bases.stream().filter(b -> !b.finishedAt().isAfter(when))
            .reduce((a, b) -> b).orElseThrow();
      }
      case RecoveryTarget.LSN, RecoveryTarget.POINT -> {
        long lsn;
        try {
          lsn = WalNames.parseLsn(t.lsn());
        } catch (RuntimeException e) {
          throw FailureKind.RECOVERY_TARGET_INVALID.failure("'" + t.lsn() + "' is not an LSN"
              + " (like 0/3000060)");
        }
        if (lsn < oldest.stopLsn()) {
          throw FailureKind.RECOVERY_TARGET_INVALID.failure("target LSN " + t.lsn()
              + " is before the end of the oldest base backup of " + db + " ("
              + WalNames.formatLsn(oldest.stopLsn()) + ")");
        }
        if (lsn > newestEnd) {
          throw FailureKind.RECOVERY_TARGET_INVALID.failure("target LSN " + t.lsn()
              + " is after the newest archived WAL of " + db + " (" + newest + " ends at "
              + WalNames.formatLsn(newestEnd) + ")");
        }
        chosen = bases.stream().filter(b -> b.stopLsn() <= lsn).reduce((a, b) -> b)
            .orElseThrow();
      }
      default -> chosen = bases.get(bases.size() - 1);
    }
    String first = WalNames.segmentName(chosen.timeline(), chosen.startLsn() / SEGMENT, SEGMENT);
    requireContinuous(db, segments, chosen, first);
    return Optional.of(new RecoveryPlan(RecoveryPlan.PITR, chosen.id(), chosen.objectKey(),
        chosen.storedBytes(), chosen.finishedAt().toString(), first, newest, newestAt.toString(),
        chosen.dataDirectory(), chosen.timeline()));
  }

  /** Every segment the base backup needs to become consistent must be in the archive. */
  private static void requireContinuous(String db, List<String> segments, Base b, String first) {
    long from = b.startLsn() / SEGMENT;
    long to = Math.max(from, (b.stopLsn() - 1) / SEGMENT);
    for (long n = from; n <= to; n++) {
      String name = WalNames.segmentName(b.timeline(), n, SEGMENT);
      if (!segments.contains(name)) {
        throw FailureKind.RECOVERY_TARGET_INVALID.failure("base backup " + b.id() + " of " + db
            + " needs WAL " + name + " (from " + first + "), which is not archived");
      }
    }
  }

  static List<Base> bases(ObjectStore store, String prefix, String db) {
    String root = RepositoryLayout.baseBackupsRoot(prefix, db);
    List<Base> out = new ArrayList<>();
    for (String key : store.list(root)) {
      if (!key.endsWith("/" + RepositoryLayout.MANIFEST)) continue;
      JsonNode m = RecoveryPlanner.read(store, key);
      String id = text(m, "backupId", key.substring(root.length(), key.lastIndexOf('/')));
      out.add(new Base(id,
          text(m, "objectKey", RepositoryLayout.baseTarKey(prefix, db, id)),
          m.path("storedBytes").asLong(0),
          Instant.parse(text(m, "finishedAt", text(m, "stopTime", null))),
          WalNames.parseLsn(text(m, "startLsn", null)),
          WalNames.parseLsn(text(m, "stopLsn", null)),
          m.path("timeline").asInt(1),
          text(m, "dataDirectory", null)));
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  private static String text(JsonNode m, String field, String fallback) {
    JsonNode n = m.get(field);
    return n == null || n.isNull() ? fallback : n.asText();
  }
}
