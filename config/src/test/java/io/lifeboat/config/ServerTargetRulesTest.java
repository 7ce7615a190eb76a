package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The servers: section: defaults, paths made absolute, and each mistake as one line. */
class ServerTargetRulesTest {
  private static final String BASE = YamlConfig.MINIMAL + """
      applications:
        - name: farmtally
          releaseRoot: /opt/farmtally
          healthUrl: http://127.0.0.1:3300/api/health
      servers:
        - name: dr
          address: 127.0.0.2
          root: targets/dr
          domain: farmtally.test
          database: farmtally_production
          application: farmtally
          inventory: ansible/inventory.ini
          playbook: ansible/site.yml
      """;

  @TempDir Path dir;

  private LifeboatConfig load(String yaml) throws IOException {
    return YamlConfig.load(dir, yaml);
  }

  @Test
  void aTargetTakesDefaultsAndAbsolutePaths() throws IOException {
    ServerTargetConfig t = load(BASE).server("dr").orElseThrow();
    assertEquals(80, t.httpPort());
    assertEquals(443, t.httpsPort());
    assertEquals(5432, t.postgres().port());
    assertEquals("postgres", t.postgres().osUser());
    assertEquals("127.0.0.2", t.postgresHost());
    assertEquals("manual", t.dns().provider());
    assertEquals("https://farmtally.test", t.url());
    assertTrue(Path.of(t.root()).isAbsolute() && Path.of(t.playbook()).isAbsolute(), t.root());
    assertEquals(t.root() + "/postgresql/data", t.dataDirectory());
  }

  @Test
  void theExampleTargetLoads() {
    ServerTargetConfig t = new ConfigLoader()
        .load(Path.of("..", "examples", "farmtally", "lifeboat.yml")).server("dr").orElseThrow();
    assertEquals("farmtally.test", t.domain());
    assertEquals(8080, t.httpPort());
    // Relative to the directory lifeboat runs in (the repository root), like localCopyDir.
    assertTrue(t.playbook().endsWith("/examples/farmtally/ansible/site.yml"), t.playbook());
    assertTrue(Files.isRegularFile(Path.of("..", "examples", "farmtally", "ansible", "site.yml")));
  }

  /** The base with a second database (analytics) and the target listing {@code items}. */
  private static String withItems(String items) {
    return BASE.replace("applications:\n", "  - name: analytics\n    host: 127.0.0.1\n"
        + "    port: 55433\n    user: lifeboat\napplications:\n")
        .replace("playbook: ansible/site.yml\n", "playbook: ansible/site.yml\n"
            + items.indent(4));
  }

  @Test
  void anOldTargetRestoresItsDatabaseThenItsApplicationAtP1() throws IOException {
    ServerTargetConfig t = load(BASE).server("dr").orElseThrow();
    assertEquals(List.of(TargetItem.of("farmtally_production", 1)), t.restoredDatabases());
    assertEquals(List.of(TargetItem.of("farmtally", 1)), t.restoredApplications());
    assertEquals(List.of(t.root() + "/postgresql/data"), t.dataDirectories());
  }

  @Test
  void aTargetListsDatabasesAndApplicationsWithPriorities() throws IOException {
    ServerTargetConfig t = load(withItems("""
        databases:
          - {name: analytics, priority: P2, port: 55444}
          - {name: farmtally_production, priority: 1}
        applications:
          - {name: farmtally, priority: p3, database: analytics}
        """)).server("dr").orElseThrow();
    assertEquals(List.of(2, 1), t.restoredDatabases().stream().map(TargetItem::rank).toList());
    assertEquals(3, t.restoredApplications().get(0).rank());
    assertEquals(t.root() + "/postgresql/analytics-data", t.dataDirectory("analytics"));
    assertEquals(t.root() + "/postgresql/data", t.dataDirectory("farmtally_production"));
    assertEquals(2, t.dataDirectories().size());
    // The target's own database, unlisted, is restored too, at P1.
    ServerTargetConfig implicit = load(withItems("""
        databases:
          - {name: analytics, priority: 3, port: 55444}
        """)).server("dr").orElseThrow();
    assertEquals(List.of("farmtally_production", "analytics"),
        implicit.restoredDatabases().stream().map(TargetItem::name).toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad priority   | 'databases: [{name: analytics, priority: P4, port: 55444}]' | servers[0].databases[0].priority' is P1, P2 or P3 (or 1..3), not 'P4'",
      "priority zero  | 'applications: [{name: farmtally, priority: 0}]'            | servers[0].applications[0].priority' is P1, P2 or P3",
      "unknown db     | 'databases: [{name: nope, port: 55444}]'                    | servers[0].databases[0].name' names 'nope', which is not in databases:",
      "unknown app    | 'applications: [{name: nope}]'                              | servers[0].applications[0].name' names 'nope', which is not in applications:",
      "no port        | 'databases: [{name: analytics}]'                            | servers[0].databases[0].port' must be a port of its own",
      "port taken     | 'databases: [{name: analytics, port: 5432}]'                | servers[0].databases[0].port' must be a port of its own",
      "db twice       | 'databases: [{name: analytics, port: 1}, {name: analytics, port: 2}]' | servers[0].databases[1].name' repeats 'analytics'",
      "app not on dr  | 'applications: [{name: farmtally, database: analytics}]'    | servers[0].applications[0].database' names 'analytics', which is not one of this target's databases",
      "app before db  | 'databases: [{name: analytics, priority: P2, port: 55444}]~applications: [{name: farmtally, priority: P1, database: analytics}]' | depends on database analytics (P2)",
  })
  void aBadItemIsOneLine(String label, String items, String says) {
    String yaml = withItems(items.replace("~", "\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml), label);
    assertTrue(e.getMessage().contains(says), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  /** {@link #withItems} with a second application, reports, in applications:. */
  private static String withReports(String items) {
    return withItems(items).replace("servers:\n", "  - name: reports\n"
        + "    releaseRoot: /opt/reports\n    healthUrl: http://127.0.0.1:3400/api/health\n"
        + "servers:\n");
  }

  @Test
  void anotherApplicationListensOnAPortOfItsOwn() throws IOException {
    ServerTargetConfig t = load(withReports("""
        applications:
          - {name: farmtally, priority: P1, port: 3000}
          - {name: reports, priority: P2, port: 3400}
        """)).server("dr").orElseThrow();
    assertEquals(3400, t.restoredApplications().get(1).port());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no app port    | 'applications: [{name: reports}]'                          | servers[0].applications[0].port' must be a port of its own in 1..65535 for application reports",
      "appPort taken  | 'applications: [{name: reports, port: 3000}]'              | servers[0].applications[0].port' must be a port of its own",
      "db port taken  | 'databases: [{name: analytics, port: 55444}]~applications: [{name: reports, port: 55444}]' | servers[0].applications[0].port' must be a port of its own",
      "apps share one | 'applications: [{name: reports, port: 3400}, {name: farmtally, port: 3400}]' | servers[0].applications[1].port' of the target's own application farmtally is appPort (3000), not 3400",
  })
  void aBadApplicationPortIsOneLine(String label, String items, String says) {
    String yaml = withReports(items.replace("~", "\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml), label);
    assertTrue(e.getMessage().contains(says), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void anAgentInstallTakesAbsolutePaths() throws IOException {
    ServerTargetConfig t = load(BASE.replace("servers:", "hosts:\n  - {name: dr, address: 127.0.0.2}\nservers:")
        .replace("playbook: ansible/site.yml", "playbook: ansible/site.yml\n    host: dr\n"
            + "    agent: {tarball: dist/lifeboat-1.0.tar.gz, env: [LIFEBOAT_S3_ACCESS_KEY]}"))
        .server("dr").orElseThrow();
    assertTrue(Path.of(t.agent().tarball()).isAbsolute(), t.agent().tarball());
    assertTrue(t.agent().tarball().endsWith("/dist/lifeboat-1.0.tar.gz"), t.agent().tarball());
    assertEquals(null, t.agent().config());
    assertEquals(java.util.List.of("LIFEBOAT_S3_ACCESS_KEY"), t.agent().env());
    assertEquals(t.agent(), t.at("10.0.0.9").agent());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad domain     | 'domain: farmtally.test'          | 'domain: \"x;rm -rf /\"'      | servers[0].domain",
      "bad address    | 'address: 127.0.0.2'              | 'address: dr.example'         | servers[0].address",
      "no such db     | 'database: farmtally_production'  | 'database: nope'              | servers[0].database",
      "no such app    | 'application: farmtally'          | 'application: nope'           | servers[0].application",
      "bad name       | 'name: dr'                        | 'name: \"../x\"'               | servers[0].name",
      "dns provider   | 'playbook: ansible/site.yml'      | 'playbook: x.yml\n    dns: {provider: route53}' | servers[0].dns.provider",
      "rfc2136 bare   | 'playbook: ansible/site.yml'      | 'playbook: x.yml\n    dns: {provider: rfc2136}' | servers[0].dns",
      "bad setting    | 'playbook: ansible/site.yml'      | 'playbook: x.yml\n    postgres: {settings: [\"archive_command=rm -rf /\"]}' | servers[0].postgres.settings",
      "acme http      | 'playbook: ansible/site.yml'      | 'playbook: x.yml\n    acme: {directory: \"http://ca/dir\"}' | servers[0].acme.directory",
      "agent no host  | 'playbook: ansible/site.yml'      | 'playbook: x.yml\n    agent: {tarball: lifeboat-1.0.tar.gz}' | servers[0].host",
  })
  void aMistakeIsOneLineNamingTheKey(String label, String from, String to, String key)
      throws IOException {
    String yaml = BASE.replace(from, to.replace("\\n", "\n"));
    assertTrue(!yaml.equals(BASE), label + ": the case changes nothing");
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml), label);
    assertTrue(e.getMessage().contains(key), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  /** servers[].agent on a target with a host: each mistake one line naming the key. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not a tarball  | '{tarball: dist.zip}'                             | servers[0].agent.tarball",
      "no tarball     | '{config: x.yml}'                                 | servers[0].agent.tarball",
      "bad env name   | '{tarball: lifeboat-1.0.tar.gz, env: [\"A=B\"]}' | servers[0].agent.env",
  })
  void anAgentMistakeIsOneLineNamingTheKey(String label, String agent, String key) {
    String yaml = BASE.replace("servers:", "hosts:\n  - {name: dr, address: 127.0.0.2}\nservers:")
        .replace("playbook: ansible/site.yml", "playbook: ansible/site.yml\n    host: dr\n"
            + "    agent: " + agent);
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml), label);
    assertTrue(e.getMessage().contains(key), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
