package io.lifeboat.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.cli.LifeboatCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `config local-sources` (issue 19): what `./lifeboat up` starts beside PostgreSQL, one line per
 * source declared on this machine; none without the sections.
 */
class ConfigLocalSourcesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/farmtally/lifeboat.yml");

  @TempDir Path dir;

  private static List<String> lines(Path config) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute("config", "local-sources", "--config",
        config.toString());
    assertEquals(0, code, err.toString());
    return out.toString().lines().toList();
  }

  @Test
  void theExampleDeclaresTheStacksMariaDbRedisAndOpenSearch() {
    assertEquals(List.of(
        "mariadb billing 127.0.0.1 55436 lifeboat LIFEBOAT_MARIADB_PASSWORD farmtally_billing",
        "redis sessions 127.0.0.1 55437 LIFEBOAT_REDIS_PASSWORD",
        "opensearch search 127.0.0.1 55440 "
            + ROOT.resolve(".lifeboat/opensearch-search/repo/lifeboat")),
        lines(EXAMPLE));
  }

  @Test
  void withoutTheSectionsNothingStarts() throws Exception {
    String text = Files.readString(EXAMPLE);
    String without = text.substring(0, text.indexOf("\nmariadb:\n"))
        + text.substring(text.indexOf("\n# The offsite copy"));
    Path config = dir.resolve("lifeboat.yml");
    // the key files are relative to the example's directory
    Files.writeString(config, without.replace("../../.lifeboat/keys/",
        ROOT.resolve(".lifeboat/keys").toString() + "/"));
    assertEquals(List.of(), lines(config));
  }
}
