package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A files source end to end (issue 20), once per engine: restic (the repository inside the
 * object store), borg (a repository on a path), rsync (a mirror of --link-dest generations on a
 * path). Back up, change, back up again, restore the first snapshot exactly (content, modes,
 * links, the empty directory, a unicode name), retention (forget --prune, borg prune, old
 * generations deleted), and one flipped byte in the engine's repository found by Lifeboat's
 * verification through the engine's own check (restic check --read-data-subset=100%, borg check
 * --verify-data, rsync's SHA-256 manifest), and duplicity (full and incremental chains in the
 * object store, its generations mapped to set times; duplicity verify reads every volume back).
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class FilesEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD_ENV = "LIFEBOAT_IT_RESTIC_PASSWORD";
  private RealStack stack;
  private Map<String, String> env;
  private Path tree;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    env = RealStack.envWith(PASSWORD_ENV, "it-restic-" + stack.prefix.hashCode());
    // duplicity's archive directory (its signature cache) in this test's directory, not the
    // shared stack's state directory.
    env.put("LIFEBOAT_DUPLICITY_STATE_DIR", stack.dir.resolve("duplicity-state").toString());
    stack.startWorker(env);
    tree = stack.dir.resolve("uploads");
    Trees.writeSample(tree, 20, "photos/Grüße-日本.txt");
    // A directory mode other than the default, which every restore must give back too.
    Files.setPosixFilePermissions(tree.resolve("photos"), PosixFilePermissions.fromString("rwx--x---"));
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private String engine = "restic";

  private Path repo() {
    return stack.dir.resolve("repo-" + engine);
  }

  private Path config(String name, Consumer<ObjectNode> keep) throws Exception {
    return stack.config(name + "-" + engine, root -> {
      ObjectNode f = root.putArray("files").addObject();
      f.put("name", "uploads");
      f.putArray("paths").add(tree.toString());
      f.putArray("excludes").add("*.tmp");
      f.put("engine", engine);
      if (engine.equals("borg") || engine.equals("rsync")) {
        f.put("repositoryPath", repo().toString());
      }
      // Full, incremental, full: the third generation starts a new chain, so keeping the last
      // one can drop the first chain whole.
      if (engine.equals("duplicity")) f.put("fullEvery", 2);
      if (!engine.equals("rsync")) f.put("passwordEnv", PASSWORD_ENV);
      f.put("checkReadDataPercent", 100);
      f.put("restoreRoot", stack.dir.toString());
      keep.accept(f.putObject("keep"));
    });
  }

  private JsonNode backup(Path config) throws Exception {
    RealStack.Run run = stack.cli(env, "backup", "files", "uploads", "--wait", "--json",
        "--config", config.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    return JSON.readTree(run.out()).path("manifest");
  }

  @ParameterizedTest
  @ValueSource(strings = {"restic", "borg", "rsync", "duplicity"})
  void backUpChangeRestoreTheFirstSnapshotExactlyPruneAndFindAFlippedByte(String engine)
      throws Exception {
    this.engine = engine;
    Path config = config("files", k -> k.put("last", 10));
    JsonNode first = backup(config);
    String snap1 = first.path("snapshotId").asText();
    assertFalse(snap1.isEmpty(), first.toString());
    assertTrue(first.path("verification").asText().startsWith("ok:"), first.toString());
    assertEquals(5, first.path("totalFiles").asLong(), first.toString());
    assertTrue(first.path("bytesAdded").asLong() > 300_000, first.toString());
    Map<String, String> before = Trees.describe(tree);

    // Change some, delete some, add one (and one that is excluded).
    Files.writeString(tree.resolve("readme.txt"), "farm uploads, edited\n");
    Files.delete(tree.resolve("photos/2026/cow.jpg"));
    Files.setPosixFilePermissions(tree.resolve("secret.key"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.delete(tree.resolve("empty"));
    Files.writeString(tree.resolve("new.txt"), "new\n");
    Files.writeString(tree.resolve("scratch.tmp"), "excluded\n");
    JsonNode second = backup(config);
    String snap2 = second.path("snapshotId").asText();
    assertNotEquals(snap1, snap2);
    assertEquals(5, second.path("totalFiles").asLong(), "scratch.tmp is excluded: " + second);
    assertEquals(List.of(snap2, snap1).stream().sorted().toList(),
        ids(second.path("kept")).stream().sorted().toList(), second.toString());

    // Restore the first snapshot: the tree as it was, exactly.
    Path to = stack.dir.resolve("restored");
    RealStack.Run restore = stack.cli(env, "restore", "files", "uploads", "--snapshot", snap1,
        "--to", to.toString(), "--json", "--config", config.toString());
    assertEquals(0, restore.exit(), restore.out() + restore.err());
    JsonNode r = JSON.readTree(restore.out());
    assertEquals(0, r.path("differences").size(), r.toString());
    assertEquals(snap1, r.path("snapshotId").asText());
    assertEquals(before, Trees.describe(to.resolve(tree.toString().substring(1))));
    // Never over the source, never outside restoreRoot, never into a non-empty directory.
    for (String bad : List.of(tree.resolve("x").toString(), "/var/tmp/lifeboat-files-x",
        to.toString())) {
      RealStack.Run refused = stack.cli(env, "restore", "files", "uploads", "--to", bad,
          "--config", config.toString());
      assertEquals(2, refused.exit(), refused.out() + refused.err());
      assertEquals(1, refused.err().strip().lines().count(), refused.err());
    }
    if (engine.equals("borg")) {
      // A wrong passphrase where restore runs: one line, naming the variable.
      Map<String, String> wrong = new java.util.HashMap<>(env);
      wrong.put(PASSWORD_ENV, "not-the-passphrase");
      RealStack.Run refused = stack.cli(wrong, "restore", "files", "uploads", "--to",
          stack.dir.resolve("restored-wrong").toString(), "--config", config.toString());
      assertEquals(2, refused.exit(), refused.out() + refused.err());
      assertEquals(1, refused.err().strip().lines().count(), refused.err());
      assertTrue(refused.err().contains("the passphrase in " + PASSWORD_ENV
          + " is not the repository's"), refused.err());
    }

    // Retention: keep the last one only; forget --prune removes both earlier snapshots.
    JsonNode third = backup(config("files-keep-1", k -> k.put("last", 1)));
    String snap3 = third.path("snapshotId").asText();
    assertEquals(List.of(snap3), ids(third.path("kept")), third.toString());
    assertEquals(List.of(snap1, snap2).stream().sorted().toList(),
        ids(third.path("removed")).stream().sorted().toList(), third.toString());

    if (engine.equals("duplicity")) {
      // One flipped byte in a GPG-encrypted volume of the chain that is left: duplicity verify
      // reads every volume back and compares its hash with the manifest's.
      String chain = stack.prefix + "/files/uploads/";
      List<String> vols = stack.store().list(chain).stream()
          .filter(k -> k.contains(".difftar")).toList();
      assertFalse(vols.isEmpty(), "duplicity's volumes are in the object store under " + chain);
      String victim = vols.stream().max((a, b) -> Long.compare(size(a), size(b))).orElseThrow();
      byte[] bytes;
      try (InputStream in = stack.store().get(victim)) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length / 2] ^= 0x01;
      stack.store().put(victim, bytes, "application/octet-stream");
      RealStack.Run damaged = stack.cli(env, "backup", "files", "uploads", "--wait", "--config",
          config("files-keep-1b", k -> k.put("last", 1)).toString());
      assertEquals(1, damaged.exit(), damaged.out() + damaged.err());
      String line = damaged.err().strip();
      assertEquals(1, line.lines().count(), line);
      assertTrue(line.contains("verification of files source uploads failed")
          && line.contains("duplicity verify") && line.contains("hash mismatch"), line);
      return;
    }
    if (!engine.equals("restic")) {
      flipAByteInTheLargestFileUnder(repo().resolve(engine.equals("borg") ? "data" : "generations"));
      RealStack.Run damaged = stack.cli(env, "backup", "files", "uploads", "--wait", "--config",
          config("files-keep-1b", k -> k.put("last", 1)).toString());
      assertEquals(1, damaged.exit(), damaged.out() + damaged.err());
      String line = damaged.err().strip();
      assertEquals(1, line.lines().count(), line);
      assertTrue(line.contains("verification of files source uploads failed") && line.contains(
          engine.equals("borg") ? "borg check --verify-data" : "checksum manifest"), line);
      return;
    }
    // One flipped byte in a pack: Lifeboat's verification (restic check --read-data) fails.
    String packs = stack.prefix + "/files/uploads/data/";
    List<String> keys = stack.store().list(packs);
    assertFalse(keys.isEmpty(), "restic's packs are in the object store under " + packs);
    String victim = keys.stream().max((a, b) -> Long.compare(size(a), size(b))).orElseThrow();
    byte[] bytes;
    try (InputStream in = stack.store().get(victim)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    stack.store().put(victim, bytes, "application/octet-stream");
    RealStack.Run damaged = stack.cli(env, "backup", "files", "uploads", "--wait", "--config",
        config("files-keep-1b", k -> k.put("last", 1)).toString());
    assertEquals(1, damaged.exit(), damaged.out() + damaged.err());
    String line = damaged.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains("verification of files source uploads failed")
        && line.contains("restic check"), line);
  }

  /** Bit rot: one byte of the largest file flipped in place, its modification time kept. */
  private static void flipAByteInTheLargestFileUnder(Path dir) throws Exception {
    Path victim;
    try (Stream<Path> walk = Files.walk(dir)) {
      victim = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
    }
    var mtime = Files.getLastModifiedTime(victim);
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(victim, bytes);
    Files.setLastModifiedTime(victim, mtime);
  }

  private long size(String key) {
    return stack.store().head(key).map(i -> i.size()).orElse(0L);
  }

  private static List<String> ids(JsonNode arr) {
    List<String> out = new java.util.ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }
}
