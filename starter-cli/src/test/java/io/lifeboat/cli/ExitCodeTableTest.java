package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one exit-code table (dist/src/share/exit-codes.tsv): one meaning per code, the CLI's
 * constants from it, the launcher's literal codes only the generic ones, and the table in
 * docs/reference/exit-codes.md equal to it (-Dlifeboat.regenerateDocs=true rewrites it).
 */
class ExitCodeTableTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOC = ROOT.resolve("docs/reference/exit-codes.md");
  static final String BEGIN = "<!-- generated from dist/src/share/exit-codes.tsv: do not edit -->\n";
  static final String END = "<!-- end of the generated table -->\n";

  @Test
  void oneMeaningPerCodeAndOneCodePerName() {
    Set<Integer> codes = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (ExitCodeTable.Row r : ExitCodeTable.rows()) {
      assertTrue(codes.add(r.code()), "code " + r.code() + " has two meanings");
      assertTrue(names.add(r.name()), "name " + r.name() + " is given twice");
    }
  }

  @Test
  void theJarCarriesTheCommittedFile() throws Exception {
    assertEquals(ExitCodeTable.parse(Files.readString(
        ROOT.resolve("dist/src/share/exit-codes.tsv"), StandardCharsets.UTF_8)),
        ExitCodeTable.rows());
  }

  @Test
  void theCliTakesItsCodesFromTheTable() {
    assertEquals(1, ExitCodes.FAILED);
    assertEquals(2, ExitCodes.BAD_INPUT);
    assertEquals(3, ExitCodes.UNREACHABLE);
    assertEquals(128, ExitCodes.STOP_RECOVERY);
  }

  /** 0, 1 and 2 mean the same everywhere; any other code the launcher gives goes by name. */
  @Test
  void theLauncherWritesNoOtherCodeAsANumber() throws Exception {
    Pattern literal = Pattern.compile("\\b(die|exit) ([0-9]+)\\b");
    List<String> bad = new ArrayList<>();
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("lifeboat")));
    try (Stream<Path> s = Files.list(ROOT.resolve("launcher"))) {
      s.filter(p -> p.toString().endsWith(".bash")).forEach(files::add);
    }
    files.add(ROOT.resolve("dist/src/bin/lifeboat"));
    files.add(ROOT.resolve("dist/src/bin/lifeboat-wal"));
    for (Path f : files) {
      if (!Files.exists(f)) continue;
      int n = 0;
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        n++;
        if (line.stripLeading().startsWith("#")) continue;
        Matcher m = literal.matcher(line);
        while (m.find()) {
          int code = Integer.parseInt(m.group(2));
          // 255: lifeboat-wal without its table (a broken installation)
          if (code > 2 && code != 255) bad.add(ROOT.relativize(f) + ":" + n + ": " + line.strip());
        }
      }
    }
    assertTrue(bad.isEmpty(), "use the table's names (EX_...): " + bad);
  }

  @Test
  void theReferenceDocHoldsTheTable() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int b = doc.indexOf(BEGIN);
    int e = doc.indexOf(END);
    assertTrue(b >= 0 && e > b, "docs/reference/exit-codes.md has no generated table markers");
    String want = doc.substring(0, b + BEGIN.length()) + ExitCodeTable.markdown()
        + doc.substring(e);
    if (Boolean.getBoolean("lifeboat.regenerateDocs")) {
      Files.writeString(DOC, want, StandardCharsets.UTF_8);
      doc = want;
    }
    assertEquals(want, doc, "docs/reference/exit-codes.md is out of date with exit-codes.tsv;"
        + " regenerate it with: mvn -pl starter-cli -am test -Dtest=ExitCodeTableTest"
        + " -Dlifeboat.regenerateDocs=true -Dsurefire.failIfNoSpecifiedTests=false");
  }
}
