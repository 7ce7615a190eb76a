package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.failure.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard against drift: docs/reference/cli.md and failure-kinds.md are regenerated in memory
 * from the picocli tree and FailureKind and must equal the committed files (no stack needed).
 * With -Dlifeboat.regenerateDocs=true it writes them instead ({@link ReferenceDocs#REGENERATE}).
 */
class ReferenceDocsTest {
  private static final Path DIR = Path.of("../docs/reference").toAbsolutePath().normalize();

  @Test
  void committedReferenceMatchesTheCode() throws Exception {
    if (Boolean.getBoolean("lifeboat.regenerateDocs")) {
      ReferenceDocs.main(new String[] {DIR.toString()});
    }
    for (Map.Entry<String, String> f : ReferenceDocs.files().entrySet()) {
      Path file = DIR.resolve(f.getKey());
      String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      assertEquals(f.getValue(), committed, "docs/reference/" + f.getKey()
          + " is out of date with the code; regenerate it with: " + ReferenceDocs.REGENERATE);
    }
  }

  @Test
  void everyFailureKindAndVisibleVerbIsListed() {
    String kinds = ReferenceDocs.failureKinds();
    for (FailureKind k : FailureKind.values()) {
      assertTrue(kinds.contains("| `" + k.type() + "` | " + (k.retryable() ? "yes" : "no")),
          k.type());
    }
    String cli = ReferenceDocs.cli();
    assertTrue(cli.contains("## lifeboat backup db\n"), "backup db");
    assertTrue(cli.contains("## lifeboat wal-fetch\n"), "wal-fetch");
    assertTrue(cli.contains("%p %f"), "picocli's %% reads as PostgreSQL's placeholders");
    assertTrue(!cli.contains("class-archive-training"), "hidden commands stay hidden");
  }
}
