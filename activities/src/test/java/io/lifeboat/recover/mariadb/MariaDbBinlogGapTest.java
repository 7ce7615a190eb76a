package io.lifeboat.recover.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The binlog archive's gap check: consecutive numbers only, across the six-digit roll. */
class MariaDbBinlogGapTest {
  @Test
  void gaps() {
    assertNull(MariaDbPitrActivitiesImpl.gap("mysql-bin.000003", "mysql-bin.000004"));
    assertNull(MariaDbPitrActivitiesImpl.gap("mysql-bin.000004", "mysql-bin.000004"));
    assertNull(MariaDbPitrActivitiesImpl.gap("mysql-bin.000004", "other.000009"));
    assertEquals("mysql-bin.000004",
        MariaDbPitrActivitiesImpl.gap("mysql-bin.000003", "mysql-bin.000005"));
    assertEquals("mysql-bin.000004 to mysql-bin.000009",
        MariaDbPitrActivitiesImpl.gap("mysql-bin.000003", "mysql-bin.000010"));
    assertNull(MariaDbPitrActivitiesImpl.gap("mysql-bin.999999", "mysql-bin.1000000"));
  }
}
