package io.lifeboat.cli.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.worker.codec.PayloadKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `keys rotate` without a stack: files are replaced, variables are printed, bad input is one line. */
class KeysCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path config(String temporal, String encryption) throws Exception {
    Path f = dir.resolve("lifeboat.yml");
    Files.writeString(f, "estate: farmtally\n"
        + "temporal: {payloadEncryption: " + temporal + "}\n"
        + "repository: {endpoint: \"http://127.0.0.1:9\", bucket: farmtally-backups, accessKeyEnv: A,"
        + " secretKeyEnv: S, encryption: " + encryption + "}\n"
        + "databases: [{name: farmtally_production, host: 127.0.0.1, port: 55432, user: u}]\n");
    return f;
  }

  @Test
  void rotatesBothKeyFilesInPlaceKeepingTheOldOnes() throws Exception {
    Path repo = dir.resolve("keys/repository.json");
    Path payload = dir.resolve("keys/payload.json");
    String r1 = RepositoryCipher.generate(repo);
    String p1 = PayloadKeys.generate(payload);
    Files.setPosixFilePermissions(repo, PosixFilePermissions.fromString("rw-r-----"));
    Path cfg = config("{keysetFile: " + payload + "}", "{keyFile: " + repo + "}");

    Run r = cli(Map.of(), "keys", "rotate", "repository", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.err());
    RepositoryCipher now = RepositoryCipher.fromJson(Files.readString(repo), "x");
    assertEquals(List.of(now.keyId(), r1), now.keyIds());
    assertTrue(r.out().startsWith("repository key " + now.keyId() + " is primary; still readable: "
        + r1 + "; wrote " + repo + " (mode rw-r-----"), r.out());

    Run p = cli(Map.of(), "keys", "rotate", "payload", "--config", cfg.toString());
    assertEquals(0, p.exit(), p.err());
    PayloadKeys.PayloadKey pk = PayloadKeys.parse(Files.readString(payload), "x");
    assertEquals(2, pk.keyIds().size());
    assertTrue(pk.keyIds().contains(p1));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(payload)));
    try (Stream<Path> l = Files.list(dir.resolve("keys"))) {
      assertEquals(2, l.filter(f -> f.getFileName().toString().contains(".bak-")).count());
    }
  }

  @Test
  void aKeysetInAVariableIsPrintedNotWritten() throws Exception {
    Path seed = dir.resolve("seed.json");
    String r1 = RepositoryCipher.generate(seed);
    Map<String, String> env = new HashMap<>();
    env.put("LB_REPO_KEY", Files.readString(seed));
    Path cfg = config("{keysetFile: " + dir.resolve("none.json") + "}", "{keyEnv: LB_REPO_KEY}");

    Run r = cli(env, "keys", "rotate", "repository", "--config", cfg.toString());
    assertEquals(1, r.exit(), "printing is not doing: " + r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.out().startsWith("LB_REPO_KEY='{"), r.out());
    assertTrue(r.err().startsWith("lifeboat: nothing was written: repository.encryption.keyEnv"
        + " names the variable LB_REPO_KEY"), r.err());
    String json = r.out().strip().substring("LB_REPO_KEY='".length(), r.out().strip().length() - 1);
    RepositoryCipher rotated = RepositoryCipher.fromJson(json, "printed");
    assertEquals(2, rotated.keyIds().size());
    assertTrue(rotated.keyIds().contains(r1), "the printed keyset keeps the old key");
    try (Stream<Path> l = Files.list(dir)) {
      assertFalse(l.anyMatch(f -> f.getFileName().toString().contains(".bak-")), "nothing written");
    }
  }

  @Test
  void badInputIsOneLineAndChangesNothing() throws Exception {
    Path repo = dir.resolve("repository.json");
    String r1 = RepositoryCipher.generate(repo);
    String before = Files.readString(repo);
    Path cfg = config("{keysetFile: " + dir.resolve("none.json") + "}", "{keyFile: " + repo + "}");
    for (String[] args : List.of(
        new String[] {"keys", "rotate", "bogus"},
        new String[] {"keys", "retire", "repository", "lbk-0000000000000000"},
        new String[] {"keys", "retire", "repository", r1},
        new String[] {"keys", "retire", "payload", "1"},
        new String[] {"keys", "rotate", "payload"})) {
      String[] full = Stream.concat(Stream.of(args), Stream.of("--config", cfg.toString()))
          .toArray(String[]::new);
      Run r = cli(Map.of(), full);
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("lifeboat: "), r.err());
    }
    assertEquals(before, Files.readString(repo));
    Run primary = cli(Map.of(), "keys", "retire", "repository", r1, "--config", cfg.toString());
    assertTrue(primary.err().contains(r1 + " is the primary repository key: rotate first"),
        primary.err());
  }
}
