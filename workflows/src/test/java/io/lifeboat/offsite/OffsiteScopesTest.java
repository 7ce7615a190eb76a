package io.lifeboat.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which scope is one database's WAL: the WAL lag is measured for those, and only those. */
class OffsiteScopesTest {
  @Test
  void onlyAOneDatabaseWalScopeNamesADatabase() {
    assertEquals("farmtally_production", OffsiteScopes.walDatabase("wal/farmtally_production/"));
    for (String scope : OffsiteScopes.all()) { // a whole sync's scopes, "wal/" among them
      assertNull(OffsiteScopes.walDatabase(scope), scope);
    }
    assertNull(OffsiteScopes.walDatabase("wal/a/b/"));
    assertNull(OffsiteScopes.walDatabase("db/farmtally_production/base/"));
    assertEquals("x", OffsiteScopes.walDatabase(OffsiteScopes.walOf("x").get(0)));
  }

  /** Reports and restore points: copied by every sync one by one, kept offsite for the audit. */
  @Test
  void reportsAndRestorePointsAreSyncedOneByOne() {
    org.junit.jupiter.api.Assertions.assertTrue(OffsiteScopes.all().contains("reports/"));
    org.junit.jupiter.api.Assertions.assertTrue(OffsiteScopes.all().contains("points/"));
    org.junit.jupiter.api.Assertions.assertTrue(OffsiteScopes.isOneByOne("points/"));
    org.junit.jupiter.api.Assertions.assertTrue(OffsiteScopes.isOneByOne("points/before-x.json"));
    org.junit.jupiter.api.Assertions.assertTrue(
        OffsiteScopes.isOneByOne("reports/drill/drill-monthly-x/20261121T020000Z-000/"));
    org.junit.jupiter.api.Assertions.assertFalse(OffsiteScopes.isOneByOne("app/web/"));
  }
}
