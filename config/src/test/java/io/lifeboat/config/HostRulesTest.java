package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hosts: and each source's host: (issue 17): optional, and each mistake one line. */
class HostRulesTest {
  private static final String BASE = YamlConfig.MINIMAL + """
      applications:
        - name: farmtally
          releaseRoot: /opt/farmtally
          healthUrl: http://127.0.0.1:3300/api/health
      """;

  private static final String HOSTS = """
      hosts:
        - name: db1
          address: 10.0.0.5
          roles: [database]
        - name: app1
          address: 10.0.0.6
          roles: [application, proxy]
      """;

  @TempDir Path dir;

  private LifeboatConfig load(String yaml) throws IOException {
    return YamlConfig.load(dir, yaml);
  }

  private String fails(String yaml) throws IOException {
    return YamlConfig.refused(dir, yaml);
  }

  @Test
  void withoutHostsNothingNamesAHost() throws IOException {
    LifeboatConfig c = load(BASE);
    assertTrue(c.hosts().isEmpty());
    assertNull(c.configuration().host());
    assertNull(c.applications().get(0).host());
    assertNull(c.databases().get(0).onHost());
  }

  @Test
  void hostsAndBindingsLoad() throws IOException {
    LifeboatConfig c = load(BASE.replace("/api/health\n", "/api/health\n    host: app1\n").replace("    user: lifeboat\n", "    user: lifeboat\n    onHost: db1\n") + HOSTS + """
        configuration:
          nginxDir: /etc/nginx
          host: app1
        """);
    assertEquals(List.of("db1", "app1"), c.hosts().stream().map(HostConfig::name).toList());
    assertEquals(List.of("application", "proxy"), c.host("app1").orElseThrow().roles());
    assertEquals("app1", c.applications().get(0).host());
    assertEquals("app1", c.configuration().host());
    assertEquals("db1", c.databases().get(0).onHost());
  }

  @Test
  void aHostNamedTwiceIsRefused() throws IOException {
    String msg = fails(BASE + HOSTS + """
          - name: app1
        """);
    assertTrue(msg.contains("'hosts[2].name' repeats 'app1'"), msg);
  }

  @Test
  void aSourceBoundToAnUnknownHostIsRefused() throws IOException {
    String msg = fails(BASE + HOSTS + """
        configuration:
          nginxDir: /etc/nginx
          host: app2
        """);
    assertTrue(msg.contains("'configuration.host' names host 'app2', which is not in hosts:"),
        msg);
  }

  @Test
  void anUnknownDatabaseHostIsRefused() throws IOException {
    String msg = fails(BASE.replace("    user: lifeboat\n", "    user: lifeboat\n    onHost: db9\n")
        + HOSTS);
    assertTrue(msg.contains("'databases[0].onHost' names host 'db9'"), msg);
  }

  @Test
  void theRecoveryApplicationsHostLoadsAndAnUnknownOneIsRefused() throws IOException {
    String app = "    user: lifeboat\n    onHost: db1\n    recovery:\n      application:"
        + " {pm2Name: farmtally, host: HOST}\n";
    LifeboatConfig c = load(BASE.replace("    user: lifeboat\n", app.replace("HOST", "app1"))
        + HOSTS);
    assertEquals("app1", c.databases().get(0).recovery().application().host());
    assertEquals("app1", c.databases().get(0).applicationHost());
    String msg = fails(BASE.replace("    user: lifeboat\n", app.replace("HOST", "app9"))
        + HOSTS);
    assertTrue(msg.contains("'databases[0].recovery.application.host' names host 'app9'"), msg);
  }

  @Test
  void aHostWithoutHostsIsRefused() throws IOException {
    String msg = fails(BASE.replace("/api/health\n", "/api/health\n    host: app1\n"));
    assertTrue(msg.contains("'applications[0].host' names host 'app1', but the file has no"
        + " 'hosts:' section"), msg);
  }

  @Test
  void aHostNameMustBePlain() throws IOException {
    String msg = fails(BASE + """
        hosts:
          - name: "app 1"
        """);
    assertTrue(msg.contains("'hosts[0].name' must be letters"), msg);
  }
}
