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
}
