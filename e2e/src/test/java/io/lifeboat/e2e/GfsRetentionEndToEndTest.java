package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.repository.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * GFS retention on a real run: configuration backups stored with old dates (crafted in the
 * repository layout: a committed backup is its directory with a manifest.json), then a real
 * {@code backup config --wait} against the stack, whose retention step leaves exactly the set
 * the count and the GFS keeps name.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class GfsRetentionEndToEndTest {
  private RealStack stack;
  private Path etc;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
    etc = stack.dir.resolve("etc");
    Files.createDirectories(etc.resolve("nginx"));
    Files.writeString(etc.resolve("nginx/nginx.conf"), "events {}\n");
    Files.writeString(etc.resolve("ecosystem.config.js"), "module.exports = { apps: [] };\n");
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  /** Last year and the year before (so the calendar below holds whenever the test runs). */
  private final int y1 = LocalDate.now(ZoneOffset.UTC).getYear() - 1;
  private final int y2 = y1 - 1;

  /** A date in last year (Y1-...) or the year before (Y2-...), as a stored backup id. */
  String id(String date) {
    return RepositoryLayout.backupId(LocalDate.parse(date.replace("Y1", "" + y1)
        .replace("Y2", "" + y2)).atTime(4, 0).toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  @Test
  void oldConfigurationBackupsArePrunedToExactlyTheGfsSet() throws Exception {
    // In the first days of January today's ISO week may still hold last year's Dec 31: the
    // weekly rule would then reach one more week back than written below.
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalDate.now(ZoneOffset.UTC).getDayOfYear() > 7);
    Path config = stack.config("gfs", root -> {
      ObjectNode c = root.putObject("configuration");
      c.put("nginxDir", etc.resolve("nginx").toString());
      c.put("ecosystemFile", etc.resolve("ecosystem.config.js").toString());
      c.put("keep", 2);
      root.with("schedules").put("timezone", "UTC");
      root.with("retention").putObject("keep").put("daily", 3).put("weekly", 2)
          .put("monthly", 3).put("yearly", 3);
    });
    String root = RepositoryLayout.configBackupsRoot(stack.prefix);
    List<String> stored = new ArrayList<>(List.of(id("Y2-06-01"), id("Y2-12-31"),
        id("Y1-09-15"), id("Y1-09-30"), id("Y1-10-31")));
    for (LocalDate d = LocalDate.of(y1, 11, 20); !d.isAfter(LocalDate.of(y1, 12, 31));
        d = d.plusDays(1)) {
      stored.add(id(d.toString()));
    }
    for (String id : stored) {
      stack.store().put(root + id + "/" + RepositoryLayout.CONFIG_ARCHIVE, new byte[] {1},
          "application/gzip");
      stack.store().put(root + id + "/" + RepositoryLayout.MANIFEST, "{}".getBytes(),
          "application/json");
    }
    // A directory without its manifest is no backup: retention leaves it to the discard.
    stack.store().put(root + id("Y1-01-01") + "/" + RepositoryLayout.CONFIG_ARCHIVE,
        new byte[] {1}, "application/gzip");

    RealStack.Run run = stack.cli("backup", "config", "--wait", "--json", "--config",
        config.toString());
    assertEquals(0, run.exit(), run.err());
    String now = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out())
        .path("manifest").path("backupId").asText();
    // The run's own backup is the newest: it is in every rule's newest period (this year, month,
    // ISO week, day). Besides it (Y1 last year, Y2 the year before): count 2 keeps Y1-12-31;
    // daily 3: Y1-12-31 and Y1-12-30; weekly 2: Y1-12-31 (the newest of its ISO week);
    // monthly 3: Y1-12-31 and Y1-11-30; yearly 3: Y1-12-31 and Y2-12-31. The manifest-less
    // directory stays (no backup: the discard's, not retention's).
    TreeSet<String> expected = new TreeSet<>(List.of(id("Y2-12-31"), id("Y1-01-01"),
        id("Y1-11-30"), id("Y1-12-30"), id("Y1-12-31"), now));
    TreeSet<String> left = new TreeSet<>();
    for (String key : stack.store().list(root)) {
      String rest = key.substring(root.length());
      left.add(rest.substring(0, rest.indexOf('/')));
    }
    assertEquals(expected, left);
  }
}
