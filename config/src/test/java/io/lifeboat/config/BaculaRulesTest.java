package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bacula: (issue 20): a Director's job by name, and each mistake one line naming the key. */
class BaculaRulesTest {
  private static final String BASE = YamlConfig.MINIMAL + "bacula:\n";

  @TempDir Path dir;

  private String fails(String entry) throws IOException {
    return YamlConfig.refused(dir, BASE + entry);
  }

  @Test
  void aJobLoadsAndAConfigWithoutTheSectionHasNone() throws IOException {
    BaculaConfig b = YamlConfig.load(dir, BASE + "  - {name: etc, bconsoleConfig:"
        + " /etc/bacula/bconsole.conf, job: web1-etc, client: web1-fd,"
        + " restoreWhere: /var/tmp/r, comparePath: /etc}\n").baculaJob("etc").orElseThrow();
    assertEquals("web1-etc", b.job());
    assertEquals("/etc", b.comparePath());
    assertNull(b.host());
    assertTrue(YamlConfig.load(dir, YamlConfig.MINIMAL).bacula().isEmpty());
  }

  @Test
  void mistakesAreOneLineEach() throws IOException {
    assertTrue(fails("  - {name: etc, bconsoleConfig: bconsole.conf, job: j, client: c}\n")
        .contains("'bacula[0].bconsoleConfig' must be an absolute path"));
    assertTrue(fails("  - {name: etc, bconsoleConfig: /b.conf, job: \"j; x\", client: c}\n")
        .contains("'bacula[0].job' must name the Director's backup Job"));
    assertTrue(fails("  - {name: etc, bconsoleConfig: /b.conf, job: j}\n")
        .contains("'bacula[0].client' must name the Client"));
    assertTrue(fails("  - {name: etc, bconsoleConfig: /b.conf, job: j, client: c,"
        + " comparePath: /etc}\n").contains("'bacula[0].comparePath' needs restoreWhere"));
    assertTrue(fails("  - {name: etc, bconsoleConfig: /b.conf, job: j, client: c}\n"
        + "  - {name: etc, bconsoleConfig: /b.conf, job: j, client: c}\n")
        .contains("'bacula[1].name' repeats 'etc'"));
    assertTrue(fails("  - {name: etc, bconsoleConfig: /b.conf, job: j, client: c, host: nope}\n")
        .contains("'bacula[0].host' names host 'nope'"));
  }
}
