package io.lifeboat.recover.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.wal.MemoryStore;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parts of a recovery from a dump that need no server: the name the damaged database is
 * kept under (never dropped), and the hint a refused corrupt dump gives (the previous committed
 * dump, from the repository). The restore and the renames themselves need PostgreSQL and stay in
 * the stack lane.
 */
class DumpRecoveryTest {
  private static final String DB = "farmtally_production";

  private static DumpRestoreRequest request(String backupId, String scratch) {
    return new DumpRestoreRequest(
        new DatabaseConfig(DB, "127.0.0.1", 5432, "u", null, null, List.of()),
        new RepositoryConfig("http://127.0.0.1:9", "b", "p", null, true, "A", "S", null, null,
            null, null, null),
        new RecoveryPlan("dump", backupId, RepositoryLayout.fullBackupDir("p", DB, backupId)
            + "/dump.zst", 10, null, null, null, null, null, 0),
        scratch);
  }

  /** Pins the kept name: the scratch name with _lb_ read as _replaced_, at most 63 bytes. */
  @Test
  void theDamagedDatabaseIsKeptUnderAReplacedName() {
    assertEquals("farmtally_production_replaced_r1",
        DumpRecovery.keptName(request("x", "farmtally_production_lb_r1")));
    String longScratch = "d".repeat(50) + "_lb_" + "0123456789abcdef";
    String kept = DumpRecovery.keptName(request("x", longScratch));
    assertEquals(63, kept.length(), "PostgreSQL truncates names at 63: we do it ourselves");
    assertEquals("d".repeat(50) + "_replaced_" + "012", kept);
  }

  private static void dump(MemoryStore store, String id, boolean committed) {
    store.put(RepositoryLayout.fullBackupDir("p", DB, id) + "/dump.zst", new byte[3], "x");
    if (committed) {
      store.put(RepositoryLayout.manifestKey("p", DB, id), new byte[2], "application/json");
    }
  }

  /** Pins the hint: the newest committed dump older than the corrupt one, never a newer one. */
  @Test
  void aCorruptDumpNamesThePreviousCommittedOne() {
    MemoryStore store = new MemoryStore();
    dump(store, "20261201T010000Z", true);
    dump(store, "20261202T010000Z", true);
    dump(store, "20261203T010000Z", false);   // incomplete: no manifest
    dump(store, "20261204T010000Z", true);    // the corrupt one
    dump(store, "20261205T010000Z", true);    // newer: not "previous"
    assertEquals("; the previous committed dump is 20261202T010000Z (check it with lifeboat"
        + " verify before relying on it)",
        DumpRecovery.previousDump(request("20261204T010000Z", "s"), store));
  }

  /** Pins the other two answers: none earlier, and no hint at all when the listing fails. */
  @Test
  void withoutAnEarlierDumpOrAListingItSaysSoOrNothing() {
    MemoryStore store = new MemoryStore();
    dump(store, "20261204T010000Z", true);
    assertEquals("; the repository holds no earlier dump of " + DB,
        DumpRecovery.previousDump(request("20261204T010000Z", "s"), store));
    ObjectStore down = (ObjectStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
          throw new StorageException(FailureKind.S3_UNAVAILABLE, "S3 is down", null);
        });
    assertEquals("", DumpRecovery.previousDump(request("20261204T010000Z", "s"), down));
  }
}
