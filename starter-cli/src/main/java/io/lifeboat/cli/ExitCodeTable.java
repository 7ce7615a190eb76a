package io.lifeboat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one exit-code table of Lifeboat, {@code dist/src/share/exit-codes.tsv}: packaged into this
 * jar (starter-cli's pom), read by the launcher ({@code launcher/common.bash}) and the WAL client
 * ({@code bin/lifeboat-wal}) from the file itself, and rendered into
 * docs/reference/exit-codes.md (checked by ExitCodeTableTest). One meaning per code.
 */
final class ExitCodeTable {
  private ExitCodeTable() {}

  static final String RESOURCE = "exit-codes.tsv";

  record Row(int code, String name, String who, String meaning) {}

  private static final List<Row> ROWS = load();

  static List<Row> rows() {
    return ROWS;
  }

  /** The code of a named row; a missing name is a packaging bug, so it fails loudly. */
  static int code(String name) {
    for (Row r : ROWS) {
      if (r.name().equals(name)) return r.code();
    }
    throw new IllegalStateException("exit-codes.tsv has no row '" + name + "'");
  }

  static List<Row> parse(String text) {
    List<Row> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.split("\t", -1);
      if (f.length != 4) throw new IllegalStateException("exit-codes.tsv: not 4 columns: " + line);
      rows.add(new Row(Integer.parseInt(f[0]), f[1], f[2], f[3]));
    }
    return List.copyOf(rows);
  }

  /** The markdown table that docs/reference/exit-codes.md holds between its markers. */
  static String markdown() {
    StringBuilder b = new StringBuilder("| code | name | who | meaning |\n|---|---|---|---|\n");
    for (Row r : ROWS) {
      b.append("| ").append(r.code()).append(" | `").append(r.name()).append("` | ")
          .append(r.who()).append(" | ").append(r.meaning()).append(" |\n");
    }
    return b.toString();
  }

  private static List<Row> load() {
    try (InputStream in = ExitCodeTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("exit-codes.tsv is not on the class path");
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
