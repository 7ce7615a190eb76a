package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 20: {@code repositories:}, the list form of {@code offsite:}, and its mistakes. */
class CopyRepositoriesConfigTest {
  private static final String BASE = YamlConfig.PREFIXED;

  private static final String OFFSITE = """
      offsite:
        endpoint: http://127.0.0.1:9100
        bucket: farmtally-offsite
        accessKeyEnv: LIFEBOAT_OFFSITE_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_OFFSITE_SECRET_KEY
      """;

  private static final String REPOS = """
      repositories:
        - name: eu
          endpoint: http://127.0.0.1:9100
          bucket: farmtally-offsite
          accessKeyEnv: LIFEBOAT_OFFSITE_ACCESS_KEY
          secretKeyEnv: LIFEBOAT_OFFSITE_SECRET_KEY
          retention: {days: 30, monthly: 2}
        - name: us
          endpoint: http://127.0.0.1:9200
          bucket: farmtally-us
          accessKeyEnv: US_KEY
          secretKeyEnv: US_SECRET
          verifyAfterCopy: false
          objectLock: {mode: COMPLIANCE, days: 7}
        - name: b2
          type: s3
          endpoint: https://s3.eu-central-003.backblazeb2.com
          bucket: farmtally-b2
          accessKeyEnv: B2_KEY
          secretKeyEnv: B2_SECRET
      """;

  @TempDir Path dir;

  private LifeboatConfig load(String yaml) throws Exception {
    return YamlConfig.load(dir, yaml);
  }

  @Test
  void oldOffsiteSectionIsAOneElementListNamedOffsite() throws Exception {
    LifeboatConfig c = load(BASE + OFFSITE);
    assertEquals(1, c.copyRepositories().size());
    assertEquals("offsite", c.copyRepositories().get(0).repositoryName());
    assertEquals("offsite", c.offsite().repositoryName());
    assertTrue(c.offsite().siblings().isEmpty());
    assertEquals(List.of("primary", "offsite"), RepositoryChoice.names(c));
  }

  @Test
  void listKeepsEachRepositorysOwnSettings() throws Exception {
    LifeboatConfig c = load(BASE + REPOS);
    assertEquals(List.of("eu", "us", "b2"),
        c.copyRepositories().stream().map(OffsiteConfig::repositoryName).toList());
    // The first carries the others: every request naming "the offsite" reaches all three.
    assertEquals("eu", c.offsite().repositoryName());
    assertEquals(List.of("us", "b2"),
        c.offsite().siblings().stream().map(OffsiteConfig::repositoryName).toList());
    assertEquals(List.of("eu", "us", "b2"),
        c.offsite().all().stream().map(OffsiteConfig::repositoryName).toList());
    assertEquals(30, c.copyRepository("eu").orElseThrow().retention().days());
    assertEquals(90, c.copyRepository("us").orElseThrow().retention().days());
    assertEquals(false, c.copyRepository("us").orElseThrow().verifyAfterCopy());
    assertEquals("COMPLIANCE", c.copyRepository("us").orElseThrow().objectLock().mode());
    assertEquals(List.of("primary", "eu", "us", "b2"), RepositoryChoice.names(c));
    // --from NAME, and --from offsite still means the first copy repository.
    assertEquals("farmtally-us", RepositoryChoice.resolve(c, "us").bucket());
    assertEquals("farmtally-offsite", RepositoryChoice.resolve(c, "offsite").bucket());
    ConfigException e = assertThrows(ConfigException.class,
        () -> RepositoryChoice.resolve(c, "mars"));
    assertTrue(e.getMessage().contains("primary, eu, us, b2"), e.getMessage());
  }

  @Test
  void survivesTheWorkflowBoundary() throws Exception {
    LifeboatConfig c = load(BASE + REPOS);
    ObjectMapper m = new ObjectMapper();
    OffsiteConfig back = m.readValue(m.writeValueAsString(c.offsite()), OffsiteConfig.class);
    assertEquals(c.offsite(), back);
    // A request recorded before issue 20: no name, no siblings.
    OffsiteConfig old = m.readValue("{\"endpoint\":\"http://x:1\",\"bucket\":\"b-b\","
        + "\"accessKeyEnv\":\"A\",\"secretKeyEnv\":\"B\"}", OffsiteConfig.class);
    assertEquals("offsite", old.repositoryName());
    assertEquals(1, old.all().size());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("both", OFFSITE + REPOS, "'offsite' and 'repositories' are both set"),
        Arguments.of("repeated name", REPOS.replace("name: us", "name: eu"),
            "'repositories[1].name' repeats 'eu'"),
        Arguments.of("no name", REPOS.replace("- name: us\n    endpoint", "- endpoint"),
            "'repositories[1].name' is required"),
        Arguments.of("primary as name", REPOS.replace("name: b2", "name: primary"),
            "'repositories[2].name' must not be 'primary'"),
        Arguments.of("bad name", REPOS.replace("name: b2", "name: \"b 2\""),
            "repositories[2].name"),
        Arguments.of("type", REPOS.replace("type: s3", "type: ftp"),
            "'repositories[2].type' must be s3"),
        Arguments.of("lock longer than retention",
            REPOS.replace("{mode: COMPLIANCE, days: 7}", "{days: 120}"),
            "'repositories[1].objectLock.days'"),
        Arguments.of("the primary itself", REPOS.replace("http://127.0.0.1:9200",
            "http://127.0.0.1:9000").replace("farmtally-us", "farmtally-backups"),
            "'repositories[1]' is the primary repository"),
        Arguments.of("name under offsite", OFFSITE + "  name: eu\n", "'offsite' has no 'name'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void mistakesAreOneLineNamingTheKey(String label, String yaml, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE + yaml), label);
    assertTrue(e.getMessage().contains(key), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
