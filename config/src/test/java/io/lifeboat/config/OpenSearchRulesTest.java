package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** opensearch: (issue 19): defaults, and each mistake one line naming its key. */
class OpenSearchRulesTest {
  private static final String BASE = YamlConfig.MINIMAL + "opensearch:\n";

  @TempDir Path dir;

  private LifeboatConfig load(String entry) throws IOException {
    return YamlConfig.load(dir, BASE + entry);
  }

  private String fails(String entry) throws IOException {
    return YamlConfig.refused(dir, BASE + entry);
  }

  @Test
  void defaults() throws IOException {
    OpenSearchConfig o = load("  - {name: search, url: \"http://127.0.0.1:9200/\","
        + " snapshotDir: /var/backups/search/lifeboat}\n").openSearchSource("search")
        .orElseThrow();
    assertEquals("http://127.0.0.1:9200", o.url());
    assertEquals("lifeboat", o.repository());
    assertEquals("*,-.*", o.indices());
    assertEquals("/var/backups/search/lifeboat-scratch", o.scratchRoot());
  }

  @Test
  void relativeDirectoriesAreTakenFromTheConfigFilesDirectory() throws IOException {
    OpenSearchConfig o = load("  - {name: search, url: \"http://127.0.0.1:9200\","
        + " snapshotDir: ../state/repo/lifeboat}\n").openSearchSource("search")
        .orElseThrow();
    Path parent = dir.toAbsolutePath().getParent();
    assertEquals(parent.resolve("state/repo/lifeboat").toString(), o.snapshotDir());
    assertEquals(parent.resolve("state/repo/lifeboat-scratch").toString(), o.scratchRoot());
  }

  @Test
  void mistakesAreOneLineEach() throws IOException {
    assertTrue(fails("  - {name: search, url: \"127.0.0.1:9200\", snapshotDir: /x/y}\n")
        .contains("'opensearch[0].url'"));
    assertTrue(fails("  - {name: search, url: \"http://h:9200\", snapshotDir: \"\"}\n")
        .contains("'opensearch[0].snapshotDir' must be an absolute path"));
    assertTrue(fails("hosts:\n  - {name: db9, address: 10.0.0.9}\nopensearch:\n"
        + "  - {name: search, url: \"http://h:9200\", snapshotDir: x/y, host: db9}\n")
        .contains("'opensearch[0].snapshotDir' must be an absolute path (the node is on host db9)"));
    assertTrue(fails("  - {name: search, url: \"http://h:9200\", snapshotDir: /x/y,"
        + " usernameEnv: U}\n").contains("both usernameEnv and passwordEnv"));
    assertTrue(fails("  - {name: search, url: \"http://h:9200\", snapshotDir: /x/y,"
        + " repository: Big}\n").contains("'opensearch[0].repository'"));
    assertTrue(fails("  - {name: search, url: \"http://h:9200\", snapshotDir: /x/y}\n"
        + "  - {name: search, url: \"http://h:9201\", snapshotDir: /x/z}\n")
        .contains("repeats 'search'"));
    assertTrue(fails("  - {name: search, url: \"http://h:9200\", snapshotDir: /x/y,"
        + " host: db9}\n").contains("names host 'db9'"));
    assertTrue(fails("  - {name: search, snapshotDir: /x/y}\n").contains("url"));
  }
}
