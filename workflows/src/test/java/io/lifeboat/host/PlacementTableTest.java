package io.lifeboat.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/operator/real-estate.md shows what runs where as ActivityPlacement declares it: the table
 * between the placement markers is generated from it. After changing ActivityPlacement, run
 * this test with {@code -Dlifeboat.updateDocs=true} to rewrite the table.
 */
class PlacementTableTest {
  static final Path DOC = Path.of("../docs/operator/real-estate.md").toAbsolutePath().normalize();
  static final String BEGIN = "<!-- placement table: generated from ActivityPlacement -->\n";
  static final String END = "<!-- end of placement table -->";

  @Test
  void theOperatorDocShowsThePlacementTable() throws Exception {
    String doc = Files.readString(DOC);
    int b = doc.indexOf(BEGIN);
    int e = doc.indexOf(END);
    String table = ActivityPlacement.markdownTable();
    if (Boolean.getBoolean("lifeboat.updateDocs") && b >= 0 && e > b) {
      doc = doc.substring(0, b + BEGIN.length()) + table + doc.substring(e);
      Files.writeString(DOC, doc);
      return;
    }
    assertEquals(true, b >= 0 && e > b, DOC + " lacks the placement markers");
    assertEquals(table, doc.substring(b + BEGIN.length(), e),
        "the table in " + DOC + " is not ActivityPlacement's: rerun this test with"
            + " -Dlifeboat.updateDocs=true");
  }
}
