package io.lifeboat.backup.bacula;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bconsole's answers as Bacula 9.6.7 prints them, and the restore comparison. */
class BconsoleParsingTest {
  @Test
  void llistRecordsAndQueuedJobId() {
    String out = """
        Connecting to Director 127.0.0.1:38415
        1000 OK: 103 lb-dir Version: 9.6.7 (10 December 2020)
        llist jobid=4
                   JobId: 4
                     Job: tree.2026-12-06_20.01.17_11
                    Name: tree
               JobStatus: f
                JobFiles: 0
                JobBytes: 100,006
              PriorJobId: 0
                 Comment:\s
                   JobId: 5
                 Comment: lifeboat-run=wf/run
        Job queued. JobId=17
        """;
    var records = Bconsole.records(out);
    assertEquals(2, records.size());
    assertEquals("f", records.get(0).get("JobStatus"));
    assertEquals("0", records.get(0).get("PriorJobId"));
    assertEquals("", records.get(0).get("Comment"));
    assertEquals("lifeboat-run=wf/run", records.get(1).get("Comment"));
    assertEquals(17, Bconsole.queuedJobId(out));
    assertEquals(-1, Bconsole.queuedJobId("nothing queued"));
    assertTrue(Bconsole.terminal("f") && Bconsole.terminal("T") && !Bconsole.terminal("R"));
  }

  @Test
  void firstErrorOfAJobLogPrefersTheFatalOne() {
    String log = """
        +------------------------------------+
        | LogText                            |
        +------------------------------------+
        | lb-dir JobId 4: Start Backup JobId 4, Job=tree.2026-12-06_20.01.17_11
        \\                              |
        | lb-dir JobId 4: Error: Bacula lb-dir 9.6.7 (10Dec20):
        | lb-dir JobId 4: Fatal error: bsockcore.c:208 Unable to connect to Client: lb-fd on 127.0.0.1:43429. ERR=Connection refused
        \\ |
        """;
    assertEquals("Fatal error: bsockcore.c:208 Unable to connect to Client: lb-fd on"
        + " 127.0.0.1:43429. ERR=Connection refused", Bconsole.firstError(log));
    assertNull(Bconsole.firstError("| lb-dir JobId 4: Start Backup JobId 4 |"));
  }

  @Test
  void treeCompareFindsContentModeAndMissingEntries(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    for (Path p : List.of(a, b)) {
      Files.createDirectories(p.resolve("d"));
      Files.writeString(p.resolve("d/f.txt"), "same");
      Files.createSymbolicLink(p.resolve("l"), Path.of("d/f.txt"));
    }
    assertEquals(List.of(), TreeCompare.differences(a, b));
    Files.writeString(b.resolve("d/f.txt"), "sane");
    Files.setPosixFilePermissions(a.resolve("d"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(a.resolve("only-a"), "x");
    List<String> diffs = TreeCompare.differences(a, b);
    assertEquals(3, diffs.size(), diffs.toString());
    assertTrue(diffs.get(0).startsWith("d differs"), diffs.toString());
    assertTrue(diffs.get(1).startsWith("d/f.txt differs"), diffs.toString());
    assertEquals("only-a missing from the restore", diffs.get(2));
    assertFalse(TreeCompare.differences(a, tmp.resolve("none")).isEmpty());
  }
}
