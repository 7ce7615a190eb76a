package io.lifeboat.backup.mariadb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MariaDbStreamsTest {
  @Test
  void positionAndGtidComeFromTheDumpsOwnComments() {
    String head = "-- Server version\t10.11.19-MariaDB-0+deb12u1-log\n\n"
        + "-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000002', MASTER_LOG_POS=1653;\n";
    assertArrayEquals(new String[] {"mysql-bin.000002", "1653"},
        MariaDbStreams.binlogPosition(head));
    assertNull(MariaDbStreams.binlogPosition("-- no position here\n"));
    assertEquals("0-1-7", MariaDbStreams.gtid("-- SET GLOBAL gtid_slave_pos='0-1-7';\n"));
    assertTrue(MariaDbStreams.completed("\n-- Dump completed on 2026-12-06  6:11:31\n"));
    assertFalse(MariaDbStreams.completed("INSERT INTO t VALUES (1"));
  }

  @Test
  void headTailKeepsTheFirstAndLastBytes() {
    MariaDbStreams.HeadTail ht = new MariaDbStreams.HeadTail();
    byte[] big = "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
    ht.write("HEAD".getBytes(StandardCharsets.UTF_8), 0, 4);
    ht.write(big, 0, big.length);
    ht.write("-- Dump completed".getBytes(StandardCharsets.UTF_8), 0, 17);
    assertTrue(ht.head().startsWith("HEAD") && ht.head().length() == 65536);
    assertTrue(ht.tail().endsWith("xx-- Dump completed") && ht.tail().length() == 4096);
  }

  @Test
  void failuresAreClassifiedByTheToolsWords() {
    assertEquals("Lifeboat.MARIADB_UNAVAILABLE", MariaDbClient.classify("mariadb x", "PW", "q",
        "ERROR 2002 (HY000): Can't connect to server on '127.0.0.1' (115)").getType());
    var auth = MariaDbClient.classify("mariadb x", "PW", "q",
        "ERROR 1045 (28000): Access denied for user 'lb'@'localhost' (using password: YES)");
    assertEquals("Lifeboat.MARIADB_AUTH_FAILED", auth.getType());
    assertTrue(auth.getOriginalMessage().contains("$PW"));
    assertEquals("Lifeboat.UNKNOWN_DATABASE", MariaDbClient.classify("mariadb x", null, "q",
        "mariadb-dump: Got error: 1049: \"Unknown database 'nope'\" when selecting the database")
        .getType());
    assertEquals("Lifeboat.MARIADB_TOOL_FAILED",
        MariaDbClient.classify("mariadb x", null, "q", "something else").getType());
  }

  @Test
  void identifiersAndChecksumsSurviveQuotingAndNulls() {
    assertEquals("`we``ird`.`t`", MariaDbClient.qualified("we`ird.t"));
    assertEquals("'it''s'", MariaDbClient.literal("it's"));
    assertEquals(Map.of("a.t", 12L, "a.u", -1L),
        MariaDbClient.parseChecksums("a.t\t12\na.u\tNULL\n"));
  }
}
