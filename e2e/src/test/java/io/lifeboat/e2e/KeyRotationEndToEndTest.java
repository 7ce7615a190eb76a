package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.repository.RepositoryLayout;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Rotating the repository key on the real stack, with this test's own keyset file, prefix and
 * task queue: backup A and a WAL file under the first key, `keys rotate repository` while the
 * worker runs, backup B and a WAL file under the second; both generations restore, verify and
 * fetch through the rotated keyset; the old key cannot be retired while A needs it; and a keyset
 * without it refuses A in one line naming the key, with nothing touched.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class KeyRotationEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  private Path config(String name, String db, Path key) throws Exception {
    return stack.config(name, root -> {
      RealStack.addDatabase(root, db);
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("repository"))
          .putObject("encryption").put("keyFile", key.toString());
    });
  }

  private RealStack.Run ok(String... args) {
    RealStack.Run r = stack.cli(args);
    assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
    return r;
  }

  private Optional<String> header(String key) throws Exception {
    try (InputStream in = stack.store().get(key)) {
      return RepositoryCipher.writtenWith(in);
    }
  }

  @Test
  void rotateReadOldAndNewThenRefuseWithoutTheOldKey() throws Exception {
    Path keys = Files.createDirectories(stack.dir.resolve("keys"));
    Path keyFile = keys.resolve("repository.json");
    RealStack.Run gen = ok("keys", "generate", "--repository", keyFile.toString());
    String id1 = gen.out().replaceAll("(?s).*key id (lbk-[0-9a-f]{16}).*", "$1");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----"));

    String db = stack.createDatabase("rot", 40);
    Path cfg = config("rot", db, keyFile);
    String c = cfg.toString();
    stack.startWorker();

    // Generation 1: backup A and a WAL file.
    ok("backup", "db", db, "--wait", "--config", c);
    BackupManifest a = Manifests.newest(stack.store(), stack.prefix, db).orElseThrow();
    assertEquals(id1, a.encryption().keyId());
    byte[] wal1 = "generation one ".repeat(500).getBytes(StandardCharsets.US_ASCII);
    byte[] wal2 = "generation two ".repeat(500).getBytes(StandardCharsets.US_ASCII);
    String seg1 = "000000010000000000000001";
    String seg2 = "000000010000000000000002";
    Files.write(stack.dir.resolve(seg1), wal1);
    Files.write(stack.dir.resolve(seg2), wal2);
    ok("wal-push", "--config", c, "--database", db, stack.dir.resolve(seg1).toString(), seg1);
    assertEquals(Optional.of(id1), header(RepositoryLayout.walKey(stack.prefix, db, seg1)));

    // Rotate while the worker runs: it picks up the new primary without a restart.
    String before = Files.readString(keyFile);
    RealStack.Run rot = ok("keys", "rotate", "repository", "--config", c);
    String id2 = rot.out().replaceAll("(?s).*repository key (lbk-[0-9a-f]{16}) is primary.*", "$1");
    assertNotEquals(id1, id2, rot.out());
    assertTrue(rot.out().contains("still readable: " + id1), rot.out());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    List<Path> baks;
    try (Stream<Path> l = Files.list(keys)) {
      baks = l.filter(p -> p.getFileName().toString().startsWith("repository.json.bak-")).toList();
    }
    assertEquals(1, baks.size(), baks.toString());
    assertEquals(before, Files.readString(baks.get(0)), "the previous keyset is kept as it was");

    // Generation 2: backup B (10 more rows) and a WAL file.
    stack.psql(db, "insert into tallies(farm_id, crop, quantity, note, recorded_at)"
        + " select 1, 'oats', g, 'gen2', now() from generate_series(1, 10) g");
    ok("backup", "db", db, "--wait", "--config", c);
    BackupManifest b = Manifests.newest(stack.store(), stack.prefix, db).orElseThrow();
    assertNotEquals(a.backupId(), b.backupId());
    assertEquals(id2, b.encryption().keyId(), "the worker sealed B with the new primary");
    assertEquals(Optional.of(id2), header(b.objectKey()));
    ok("wal-push", "--config", c, "--database", db, stack.dir.resolve(seg2).toString(), seg2);
    assertEquals(Optional.of(id2), header(RepositoryLayout.walKey(stack.prefix, db, seg2)));

    // keys list: both generations, which is primary, and who uses which.
    RealStack.Run list = ok("keys", "list", "--wal", "--config", c);
    System.out.println(rot.out() + list.out()); // for the run's log: what an operator sees
    assertTrue(list.out().matches("(?s).*" + id2 + "\\s+\\d+\\s+yes\\s+yes\\s+1\\s+1\\n.*"),
        list.out());
    assertTrue(list.out().matches("(?s).*" + id1 + "\\s+\\d+\\s+no\\s+yes\\s+1\\s+1\\n.*"),
        list.out());

    // Both WAL generations come back through the rotated keyset.
    for (var s : List.of(List.of(seg1, wal1), List.of(seg2, wal2))) {
      Path out = stack.dir.resolve("fetched-" + s.get(0));
      ok("wal-fetch", "--config", c, "--database", db, (String) s.get(0), out.toString());
      assertArrayEquals((byte[]) s.get(1), Files.readAllBytes(out));
    }

    // B (new key) verifies and restores.
    ok("verify", "--database", db, "--wait", "--config", c);
    ok("recover", "db", db, "--latest", "--wait", "--config", c);
    assertEquals("50", stack.psql(db, "select count(*) from tallies"));
    dropKept(db);

    // The old key is refused for retirement while A and the first WAL file need it.
    RealStack.Run retire = stack.cli("keys", "retire", "repository", id1, "--config", c);
    assertEquals(1, retire.exit(), retire.out() + retire.err());
    assertEquals(1, retire.err().strip().lines().count(), retire.err());
    assertTrue(retire.err().contains("key " + id1 + " is still needed by 1 backup(s) and 1 WAL"
        + " file(s)"), retire.err());
    String rotated = Files.readString(keyFile);

    // A (old key) is what remains once B is gone (as retention would remove it): it verifies
    // and restores through the rotated keyset.
    String bManifest = RepositoryLayout.manifestKey(stack.prefix, db, b.backupId());
    stack.store().delete(bManifest);
    assertEquals(a.backupId(),
        Manifests.newest(stack.store(), stack.prefix, db).orElseThrow().backupId());
    ok("verify", "--database", db, "--wait", "--config", c);
    stack.psql(db, "delete from tallies where id % 2 = 0");
    ok("recover", "db", db, "--latest", "--wait", "--config", c);
    assertEquals("40", stack.psql(db, "select count(*) from tallies"));
    dropKept(db);

    // Drop the first generation from a copy of the keyset: A is refused in one line naming
    // its key, before anything is stopped; the first WAL file likewise; nothing changed.
    Path dropped = keys.resolve("without-first.json");
    Files.writeString(dropped, RepositoryCipher.without(rotated, id1, "test"));
    Path cfgDropped = config("rot-dropped", db, dropped);
    stack.psql(db, "delete from tallies where id % 2 = 0");
    String damaged = stack.psql(db, "select count(*) from tallies");
    RealStack.Run refused = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        cfgDropped.toString());
    assertEquals(1, refused.exit(), refused.out() + refused.err());
    System.out.println(retire.err() + refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("backup " + a.backupId() + " of " + db
        + " was encrypted with key " + id1 + ", which is in no loaded keyset"), refused.err());
    assertTrue(refused.err().contains("holds " + id2 + ")"), refused.err());
    assertEquals(damaged, stack.psql(db, "select count(*) from tallies"), "nothing changed");
    assertEquals("", stack.psql("postgres", "select coalesce(string_agg(datname, ','), '')"
        + " from pg_database where datname like '" + db + "_%'"), "no scratch or kept database");
    Path notWritten = stack.dir.resolve("refused-wal");
    RealStack.Run walRefused = stack.cli("wal-fetch", "--config", cfgDropped.toString(),
        "--database", db, seg1, notWritten.toString());
    // 128, not 1: PostgreSQL must abort recovery here, not end it early (docs/design/reliability.md).
    assertEquals(128, walRefused.exit(), walRefused.err());
    assertTrue(walRefused.err().contains("was encrypted with key " + id1), walRefused.err());
    assertFalse(Files.exists(notWritten));
    assertEquals(rotated, Files.readString(keyFile), "the refusals wrote no key");

    // A generation nothing was written with can be retired: the keyset loses it, the previous
    // file is kept, and what the others wrote still reads.
    ok("keys", "rotate", "repository", "--config", c);
    String id3 = RepositoryCipher.fromJson(Files.readString(keyFile), "k").keyId();
    ok("keys", "rotate", "repository", "--config", c);
    RealStack.Run retired = ok("keys", "retire", "repository", id3, "--config", c);
    assertTrue(retired.out().startsWith("retired repository key " + id3), retired.out());
    List<String> left = RepositoryCipher.fromJson(Files.readString(keyFile), "k").keyIds();
    assertEquals(3, left.size(), left.toString());
    assertFalse(left.contains(id3));
    assertTrue(left.containsAll(List.of(id1, id2)));
    Path again = stack.dir.resolve("fetched-again");
    ok("wal-fetch", "--config", c, "--database", db, seg1, again.toString());
    assertArrayEquals(wal1, Files.readAllBytes(again));
  }

  private void dropKept(String db) throws Exception {
    String kept = stack.psql("postgres", "select coalesce(string_agg(datname, ','), '') from"
        + " pg_database where datname like '" + db + "_replaced_%'");
    for (String k : kept.split(",")) {
      if (!k.isBlank()) stack.psql("postgres", "drop database " + k + " with (force)");
    }
  }
}
