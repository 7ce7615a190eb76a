package io.lifeboat.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fault suite's summary: one row per injected fault, written as Markdown to
 * e2e/target/faults/table.md (the launcher prints it; surefire keeps test stdout in a
 * file). "Survived" means the run ended completed correctly or failed with a clear reason;
 * "data lost" counts previously good objects missing or changed, or a recovery with wrong data.
 */
final class FaultTable {
  static final Path FILE = Path.of("target/faults/table.md");

  enum Outcome {
    COMPLETED("completed"), FAILED_CLEARLY("failed clearly"), NOT_SURVIVED("NOT SURVIVED");

    final String text;

    Outcome(String text) {
      this.text = text;
    }
  }

  record Row(String fault, String workflow, String step, Outcome outcome, int dataLost,
      String detail) {}

  private static final List<Row> ROWS = Collections.synchronizedList(new ArrayList<>());

  private FaultTable() {}

  static void add(String fault, String workflow, String step, Outcome outcome, int dataLost,
      String detail) {
    ROWS.add(new Row(fault, workflow, step, outcome, dataLost, detail));
  }

  static String markdown() {
    List<Row> rows = List.copyOf(ROWS);
    long survived = rows.stream().filter(r -> r.outcome() != Outcome.NOT_SURVIVED).count();
    int lost = rows.stream().mapToInt(Row::dataLost).sum();
    StringBuilder sb = new StringBuilder("## Fault suite\n\n");
    sb.append("| fault | workflow | step | outcome | data lost | detail |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.fault()).append(" | ").append(r.workflow()).append(" | ")
          .append(r.step()).append(" | ").append(r.outcome().text).append(" | ")
          .append(r.dataLost()).append(" | ").append(r.detail().replace("|", "/")
              .replace("\n", " ")).append(" |\n");
    }
    sb.append("\nfaults injected: ").append(rows.size()).append(", survived: ").append(survived)
        .append(", data lost: ").append(lost).append('\n');
    return sb.toString();
  }

  static void write() throws IOException {
    String md = markdown();
    Files.createDirectories(FILE.getParent());
    Files.writeString(FILE, md);
    System.out.print(md);
  }
}
