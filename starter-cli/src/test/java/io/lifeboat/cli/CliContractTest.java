package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The CLI's contract in-process, without Temporal: what every verb group does with bad input
 * (exit 2, one line on stderr naming the problem, nothing on stdout), that --help works on every
 * command, and the shape of the --json output that needs only the repository (a local fake S3
 * that answers listings). These are the assertions the end-to-end suite should not need to make
 * on prose.
 */
class CliContractTest {
  record Run(int exit, String out, String err) {
    List<String> errLines() {
      return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\n"));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer s3;

  @TempDir Path dir;

  @AfterEach
  void stopS3() {
    if (s3 != null) s3.stop(0);
  }

  static Run cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run cli(String... args) {
    return cli(Map.of(), args);
  }

  private static List<CommandLine> tree() {
    List<CommandLine> all = new ArrayList<>();
    walk(LifeboatCli.commandLine(Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter())), all);
    return all;
  }

  private static void walk(CommandLine cmd, List<CommandLine> all) {
    all.add(cmd);
    cmd.getSubcommands().values().forEach(sub -> walk(sub, all));
  }

  /** The words after "lifeboat" that name {@code cmd}. */
  private static String[] path(CommandLine cmd) {
    String q = cmd.getCommandSpec().qualifiedName(" ");
    return q.equals("lifeboat") ? new String[0] : q.substring("lifeboat ".length()).split(" ");
  }

  private static String[] with(String[] path, String... more) {
    String[] out = Arrays.copyOf(path, path.length + more.length);
    System.arraycopy(more, 0, out, path.length, more.length);
    return out;
  }

  private static void assertBadInput(Run r, String contains) {
    assertEquals(2, r.exit(), r.toString());
    assertEquals("", r.out(), r.toString());
    assertEquals(1, r.errLines().size(), "one line: " + r.err());
    assertTrue(r.err().startsWith("lifeboat: "), r.err());
    assertTrue(r.err().contains(contains), "'" + contains + "' in: " + r.err());
  }

  // ---- every command ------------------------------------------------------------------------

  /** --help is never bad input, and needs none of the command's required parameters. */
  @Test
  void everyCommandsHelpExitsZeroWithItsUsage() {
    List<CommandLine> all = tree();
    assertTrue(all.size() > 40, "the whole tree: " + all.size());
    for (CommandLine cmd : all) {
      Run r = cli(with(path(cmd), "--help"));
      String name = cmd.getCommandSpec().qualifiedName(" ");
      assertEquals(0, r.exit(), name + ": " + r);
      assertEquals("", r.err(), name);
      assertTrue(r.out().startsWith("Usage: " + name), name + ": " + r.out());
      assertEquals(0, cli(with(path(cmd), "-h")).exit(), name + " -h");
    }
  }

  /**
   * An unknown option is bad input on every command: exit 2, one line that names it. Except
   * wal-fetch, PostgreSQL's restore_command, where anything but "not in the archive" is 128
   * (stop the recovery rather than promote with less WAL).
   */
  @Test
  void anUnknownOptionIsOneLineAndExitTwoOnEveryCommand() {
    for (CommandLine cmd : tree()) {
      Run r = cli(with(path(cmd), "--no-such-option"));
      String name = cmd.getCommandSpec().qualifiedName(" ");
      if (name.equals("lifeboat wal-fetch")) {
        assertEquals(128, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        continue;
      }
      assertEquals(2, r.exit(), name + ": " + r);
      assertEquals("", r.out(), name);
      assertEquals(1, r.errLines().size(), name + ": " + r.err());
      assertTrue(r.err().startsWith("lifeboat: "), name + ": " + r.err());
      // wal-push takes its arguments as PostgreSQL passes them (%p %f): the option is one of them
      assertTrue(r.err().contains("--no-such-option") || r.err().contains("Missing required")
          || name.equals("lifeboat wal-push") && r.err().contains("requires at least 2 values"),
          name + ": " + r.err());
    }
  }

  // ---- per verb group -----------------------------------------------------------------------

  static Stream<Arguments> missingParameters() {
    return Stream.of(
        Arguments.of(List.of("backup", "db"), "Missing required parameter: 'NAME'"),
        Arguments.of(List.of("backup", "base"), "Missing required parameter: 'NAME'"),
        Arguments.of(List.of("recover", "db", "orders"), "Missing required argument"),
        Arguments.of(List.of("wal", "check"), "Missing required parameter: 'NAME'"),
        Arguments.of(List.of("approve"), "Missing required parameters: 'WORKFLOW_ID', 'STEP'"),
        Arguments.of(List.of("approve", "recover-db-x", "dns"), "Missing required option: '--by=NAME'"),
        Arguments.of(List.of("repo", "get"), "Missing required parameter: 'KEY'"),
        Arguments.of(List.of("report"), "Missing required parameter"),
        Arguments.of(List.of("drill", "start"), "Missing required parameter"),
        Arguments.of(List.of("keys", "rotate"), "Missing required parameter"),
        Arguments.of(List.of("keys", "retire"), "Missing required parameter"),
        Arguments.of(List.of("wal-push"), "requires at least"));
  }

  @ParameterizedTest
  @MethodSource("missingParameters")
  void aMissingParameterIsOneLineAndExitTwo(List<String> args, String message) {
    assertBadInput(cli(args.toArray(String[]::new)), message);
  }

  /** Every verb group: a subcommand it does not have is an unknown command, not its help. */
  @Test
  void anUnknownSubcommandOfEveryGroupIsBadInput() {
    for (CommandLine group : tree()) {
      if (group.getSubcommands().isEmpty() || path(group).length == 0) continue;
      String name = String.join(" ", path(group));
      assertBadInput(cli(with(path(group), "frob")), "unknown command '" + name + " frob'");
      assertBadInput(cli(with(path(group), "frob", "--help")), "unknown command '" + name + " frob'");
    }
  }

  /** A group called without its subcommand says so (it does not print its help and exit 0). */
  @Test
  void aGroupWithoutItsSubcommandIsBadInput() {
    for (String group : List.of("backup", "recover", "wal", "keys", "repo", "schedules", "drill",
        "offsite", "target", "rollback", "backups", "config")) {
      Run r = cli(group);
      assertEquals(2, r.exit(), group + ": " + r);
      assertEquals(1, r.errLines().size(), group + ": " + r.err());
    }
  }

  @Test
  void aMissingConfigFileIsOneLineForEveryGroupThatReadsIt() {
    String missing = dir.resolve("nope.yml").toString();
    for (List<String> args : List.of(List.of("config", "check"), List.of("keys", "list"),
        List.of("repo", "ls"), List.of("schedules", "list"), List.of("backups", "list"),
        List.of("check"), List.of("verify"), List.of("backup", "db", "orders"),
        List.of("recover", "db", "orders", "--latest"), List.of("rollback", "app"),
        List.of("drill", "start", "monthly"), List.of("waiting"), List.of("report", "x"))) {
      List<String> a = new ArrayList<>(args);
      a.addAll(List.of("--config", missing));
      assertBadInput(cli(a.toArray(String[]::new)), missing + ": no such config file");
    }
  }

  @Test
  void anInvalidConfigIsOneLineNamingTheFile() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "estate: x\nrepository: [unclosed\n");
    assertBadInput(cli("config", "check", "--config", bad.toString()), bad.toString());
  }

  @Test
  void configCheckSaysWhatItRead() throws Exception {
    Path cfg = config("http://127.0.0.1:9");
    Run r = cli(Map.of("A", "a", "S", "s"), "config", "check", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.err());
    // the prefix as the config loader normalises it (no trailing slash)
    assertEquals(cfg + ": ok (1 database, repository s3://farmtally-backups/it)\n", r.out());
  }

  // ---- --json without Temporal --------------------------------------------------------------

  private Path config(String endpoint) throws Exception {
    Path f = dir.resolve("lifeboat.yml");
    Files.writeString(f, "estate: farmtally\n"
        + "repository: {endpoint: \"" + endpoint + "\", bucket: farmtally-backups, prefix: it/,"
        + " pathStyle: true, region: us-east-1, accessKeyEnv: A, secretKeyEnv: S}\n"
        + "databases: [{name: farmtally_production, host: 127.0.0.1, port: 55432, user: u}]\n");
    return f;
  }

  /** A local S3 that answers ListObjectsV2 with {@code keys} and 404 for everything else. */
  private String fakeS3(List<String> keys) throws Exception {
    s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s3.createContext("/", ex -> {
      String q = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
      byte[] body;
      int status;
      if (q.contains("list-type=2")) {
        String prefix = "";
        for (String kv : q.split("&")) {
          if (kv.startsWith("prefix=")) {
            prefix = URLDecoder.decode(kv.substring(7), StandardCharsets.UTF_8);
          }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Name>farmtally-backups</Name><Prefix>" + prefix + "</Prefix>"
            + "<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
        int n = 0;
        for (String k : keys) {
          if (!k.startsWith(prefix)) continue;
          n++;
          xml.append("<Contents><Key>").append(k).append("</Key>")
              .append("<LastModified>2026-12-01T00:00:00.000Z</LastModified>")
              .append("<ETag>\"0\"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass>")
              .append("</Contents>");
        }
        xml.append("<KeyCount>").append(n).append("</KeyCount></ListBucketResult>");
        body = xml.toString().getBytes(StandardCharsets.UTF_8);
        status = 200;
      } else {
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
            + "<Message>not here</Message></Error>").getBytes(StandardCharsets.UTF_8);
        status = 404;
      }
      ex.getResponseHeaders().add("Content-Type", "application/xml");
      if ("HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(status, -1);
      } else {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
      }
      ex.close();
    });
    s3.start();
    return "http://127.0.0.1:" + s3.getAddress().getPort();
  }

  private static final Map<String, String> KEYS = Map.of("A", "test", "S", "test");

  @Test
  void repoLsJsonIsThePrefixAndTheObjects() throws Exception {
    Path cfg = config(fakeS3(List.of("it/db/farmtally_production/full/20261201T000000Z/manifest.json",
        "it/db/farmtally_production/full/20261201T000000Z/dump.zst", "it/reports/x.json",
        "other/never-listed")));
    Run r = cli(KEYS, "repo", "ls", "--json", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals("it/", j.get("prefix").asText());
    assertEquals(List.of("it/db/farmtally_production/full/20261201T000000Z/dump.zst",
            "it/db/farmtally_production/full/20261201T000000Z/manifest.json", "it/reports/x.json"),
        j.get("objects").findValuesAsText("key"));
    for (JsonNode o : j.get("objects")) assertEquals(List.of("key"), fields(o));

    Run under = cli(KEYS, "repo", "ls", "db/farmtally_production/full", "--json", "--config",
        cfg.toString());
    assertEquals(0, under.exit(), under.err());
    JsonNode u = JSON.readTree(under.out());
    assertEquals("it/db/farmtally_production/full/", u.get("prefix").asText());
    assertEquals(2, u.get("objects").size());
  }

  @Test
  void repoLsOfAnEmptyFolderIsAnEmptyListInJson() throws Exception {
    Path cfg = config(fakeS3(List.of()));
    Run r = cli(KEYS, "repo", "ls", "--json", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode j = JSON.readTree(r.out());
    // a set: the keys come from Map.of, whose order is not fixed from one JVM to the next
    assertEquals(java.util.Set.of("prefix", "objects"), java.util.Set.copyOf(fields(j)));
    assertEquals(0, j.get("objects").size());
  }

  @Test
  void keysListJsonWithoutEncryption() throws Exception {
    Path cfg = config(fakeS3(List.of()));
    Run r = cli(KEYS, "keys", "list", "--json", "--config", cfg.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(List.of("repository"), fields(j), "no payload section without payload keys");
    JsonNode repo = j.get("repository");
    assertEquals(List.of("source", "walCounted", "keys"), fields(repo));
    assertEquals("none", repo.get("source").asText());
    assertEquals(false, repo.get("walCounted").asBoolean());
    assertTrue(repo.get("keys").isArray());
  }

  @Test
  void aRepositoryKeyOutsideThePrefixIsBadInput() throws Exception {
    Path cfg = config(fakeS3(List.of()));
    Run r = cli(KEYS, "repo", "get", "../../etc/passwd", "--config", cfg.toString());
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.err());
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
