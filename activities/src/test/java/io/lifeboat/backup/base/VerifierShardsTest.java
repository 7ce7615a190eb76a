package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifierShardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode manifest(Object... pathSize) {
    ObjectNode m = JSON.createObjectNode();
    ArrayNode files = m.putArray("Files");
    for (int i = 0; i < pathSize.length; i += 2) {
      files.addObject().put("Path", (String) pathSize[i]).put("Size", (Long) pathSize[i + 1]);
    }
    return m;
  }

  @Test
  void everyFileIsCheckedByExactlyOneShardAndOnlyTheFirstParsesWal() {
    ObjectNode m = manifest("base/5/1", 1000L, "base/5/2", 900L, "base/5/3", 100L,
        "global/pg_control", 8192L, "PG_VERSION", 3L);
    List<List<String>> shards = VerifierShards.split(m, 2);
    assertEquals(2, shards.size());
    assertFalse(shards.get(0).contains("--no-parse-wal"));
    assertTrue(shards.get(1).contains("--no-parse-wal"));
    Set<String> all = Set.of("base/5/1", "base/5/2", "base/5/3", "global/pg_control", "PG_VERSION");
    Set<String> checked = new HashSet<>();
    for (List<String> args : shards) {
      Set<String> ignored = new HashSet<>();
      args.stream().filter(a -> a.startsWith("--ignore=")).forEach(a -> ignored.add(a.substring(9)));
      for (String f : all) {
        if (!ignored.contains(f)) assertTrue(checked.add(f), f + " checked twice");
      }
    }
    assertEquals(all, checked);
  }

  @Test
  void balancesBySize() {
    ObjectNode m = manifest("a", 1000L, "b", 600L, "c", 500L, "d", 10L);
    List<List<String>> shards = VerifierShards.split(m, 2);
    // biggest first, each to the lighter shard: {a, d} (1010) and {b, c} (1100)
    assertTrue(shards.get(1).containsAll(List.of("--ignore=a", "--ignore=d")));
    assertTrue(shards.get(0).containsAll(List.of("--ignore=b", "--ignore=c")));
    assertEquals(3, shards.get(1).size());   // --no-parse-wal and two ignores
  }

  @Test
  void oneProcessWhenAPathIsEncodedOrThereIsNothingToSplit() {
    ObjectNode encoded = manifest("a", 1L, "b", 2L);
    ((ArrayNode) encoded.get("Files")).addObject().put("Encoded-Path", "ff").put("Size", 1);
    assertEquals(List.of(List.of()), VerifierShards.split(encoded, 2));
    assertEquals(List.of(List.of()), VerifierShards.split(manifest("a", 1L), 2));
    assertEquals(List.of(List.of()), VerifierShards.split(manifest("a", 1L, "b", 1L), 1));
  }
}
