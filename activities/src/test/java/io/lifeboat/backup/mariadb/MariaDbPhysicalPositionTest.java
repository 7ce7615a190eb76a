package io.lifeboat.backup.mariadb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The binlog position of a physical backup, from mariadb-backup 10.11's own log line. */
class MariaDbPhysicalPositionTest {
  @Test
  void position() {
    assertArrayEquals(new String[] {"mysql-bin.000001", "1133", "0-1-5"},
        MariaDbPhysicalActivitiesImpl.position("[00] 2026-12-06 09:36:21 Streaming x\n"
            + "[00] 2026-12-06 09:36:21 MySQL binlog position: filename 'mysql-bin.000001',"
            + " position '1133', GTID of the last change '0-1-5'\n[00] completed OK!"));
    assertArrayEquals(new String[] {"b.000002", "4", null},
        MariaDbPhysicalActivitiesImpl.position("MySQL binlog position: filename 'b.000002',"
            + " position '4'"));
    assertNull(MariaDbPhysicalActivitiesImpl.position("[00] completed OK!"));
  }
}
