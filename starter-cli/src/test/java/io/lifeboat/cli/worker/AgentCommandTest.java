package io.lifeboat.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.cli.LifeboatCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lifeboat agent` refuses, in one line with exit 2 and nothing started, what it cannot serve. */
class AgentCommandTest {
  private static final String BASE = """
      estate: farmtally
      temporal:
        address: 127.0.0.1:1
      repository:
        endpoint: http://127.0.0.1:9000
        bucket: farmtally-backups
        accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
      databases:
        - name: farmtally_production
          host: 127.0.0.1
          port: 55432
          user: lifeboat
      """;

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run cli(String yaml, String... args) throws IOException {
    Path config = dir.resolve("lifeboat.yml");
    Files.writeString(config, yaml);
    String[] argv = new String[args.length + 2];
    System.arraycopy(args, 0, argv, 0, args.length);
    argv[args.length] = "--config";
    argv[args.length + 1] = config.toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(argv);
    return new Run(code, out.toString(), err.toString());
  }

  private static void oneLine(Run r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void aConfigWithoutHostsHasNoAgent() throws IOException {
    oneLine(cli(BASE, "agent", "--host", "app1"), "has no 'hosts:' section");
  }

  @Test
  void aHostTheConfigDoesNotNameIsRefused() throws IOException {
    oneLine(cli(BASE + """
        hosts:
          - name: app1
          - name: db1
        """, "agent", "--host", "app2"), "host 'app2' is not in ");
  }

  @Test
  void theHostIsRequired() throws IOException {
    Run r = cli(BASE, "agent");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--host"), r.err());
  }

  @Test
  void theUsageSaysWhatItPolls() throws IOException {
    Run r = cli(BASE, "agent", "--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("-host-<NAME>"), r.out());
  }
}
