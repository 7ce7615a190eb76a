package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The applications: and configuration: sections: defaults, absolute paths, one-line errors. */
class ApplicationConfigRulesTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "farmtally", "lifeboat.yml");
  private static final String BASE = YamlConfig.MINIMAL + """
      applications:
        - name: farmtally
          releaseRoot: srv/farmtally
          healthUrl: http://127.0.0.1:3300/api/health
      """;

  @TempDir Path dir;

  private LifeboatConfig load(String yaml) throws Exception {
    return YamlConfig.load(dir, yaml);
  }

  @Test
  void theExampleDescribesTheSampleAppAndTheWeeklyConfigurationBackup() {
    LifeboatConfig c = new ConfigLoader().load(EXAMPLE);
    ApplicationConfig a = c.application("farmtally").orElseThrow();
    assertTrue(Path.of(a.releaseRoot()).isAbsolute(), a.releaseRoot());
    assertTrue(a.releaseRoot().endsWith(".lifeboat/app/farmtally"), a.releaseRoot());
    assertEquals("0 3 * * *", a.backupSchedule());
    assertEquals(30, a.keep());
    assertEquals(List.of("node_modules", ".git", "logs", "tmp"), a.excludes());
    assertEquals("0 4 * * 0", c.configuration().schedule());
    assertEquals("/etc/nginx", c.configuration().nginxDir());
    assertEquals(15, c.targets().applicationRtoMinutes());
  }

  @Test
  void defaultsFollowTheSeed() throws Exception {
    LifeboatConfig c = load(BASE);
    ApplicationConfig a = c.applications().get(0);
    assertEquals("farmtally", a.pm2Name(), "the PM2 name defaults to the application name");
    assertEquals(List.of("node_modules", ".git", "logs", "tmp"), a.excludes());
    assertEquals("0 3 * * *", a.backupSchedule());
    assertEquals(30, a.keep());
    assertEquals(Path.of("srv/farmtally").toAbsolutePath().normalize().toString(), a.releaseRoot());
    assertTrue(c.configuration().isEmpty());
    assertEquals("0 4 * * 0", c.configuration().schedule());
  }

  @Test
  void noApplicationsIsFine() throws Exception {
    String yaml = BASE.substring(0, BASE.indexOf("applications:"));
    assertTrue(load(yaml).applications().isEmpty());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(BASE.replace("    healthUrl: http://127.0.0.1:3300/api/health\n", ""),
            "missing key 'applications[0].healthUrl'"),
        Arguments.of(BASE.replace("http://127.0.0.1:3300/api/health", "localhost:3300"),
            "'applications[0].healthUrl' must be an http(s) URL"),
        Arguments.of(BASE + "    criticalEndpoints: [ftp://x]\n",
            "'applications[0].criticalEndpoints[0]' must be an http(s) URL"),
        Arguments.of(BASE + "    excludes: [node_modules/x]\n", "'applications[0].excludes' holds names"),
        Arguments.of(BASE + "    keep: 0\n", "'applications[0].keep' must be at least 1"),
        Arguments.of(BASE + "    pm2Nme: x\n", "unknown key 'applications[0].pm2Nme'"),
        Arguments.of(BASE + "  - name: farmtally\n    releaseRoot: x\n    healthUrl: http://h/\n",
            "'applications[1].name' repeats 'farmtally'"),
        Arguments.of(BASE.replace("name: farmtally\n", "name: ../evil\n"),
            "'applications[0].name' must be letters"),
        Arguments.of(BASE + "configuration:\n  keep: 0\n", "'configuration.keep' must be at least 1"),
        Arguments.of(BASE + "configuration:\n  file: [/etc/hosts]\n", "unknown key 'configuration.file'"));
  }

  @ParameterizedTest
  @MethodSource("bad")
  void aMistakeIsOneLineNamingTheKey(String yaml, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
