package io.lifeboat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house's size budget (issue 16): a workflow implementation reads as its runbook, so it
 * stays under 200 lines (bookkeeping belongs in run/); an activity implementation stays under
 * 400 (split by what it does, as backup/base is). A file over budget is a design smell caught
 * at the pull request, not in a review months later.
 */
class SizeBudgetTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void workflowImplementationsStayUnder200Lines() throws IOException {
    Map<String, Long> over = overBudget(ROOT.resolve("workflows/src/main/java"),
        "WorkflowImpl.java", 200);
    assertEquals(Map.of(), over, "workflow implementations over 200 lines: move bookkeeping to run/");
  }

  @Test
  void activityClassesStayUnder400Lines() throws IOException {
    Map<String, Long> over = overBudget(ROOT.resolve("activities/src/main/java"), ".java", 400);
    assertEquals(Map.of(), over, "activity classes over 400 lines: split by what each part does");
  }

  /** The control: the scan finds the files it budgets (a wrong root would pass vacuously). */
  @Test
  void theScanSeesTheSources() throws IOException {
    assertTrue(files(ROOT.resolve("workflows/src/main/java"), "WorkflowImpl.java").size() >= 10);
    assertTrue(files(ROOT.resolve("activities/src/main/java"), ".java").size() >= 50);
    assertEquals(1, overBudget(ROOT.resolve("workflows/src/main/java"), "WorkflowImpl.java", 1)
        .keySet().stream().filter(k -> k.endsWith("DatabaseBackupWorkflowImpl.java")).count());
  }

  private static Map<String, Long> overBudget(Path root, String suffix, int max)
      throws IOException {
    Map<String, Long> over = new TreeMap<>();
    for (Path f : files(root, suffix)) {
      long lines;
      try (Stream<String> s = Files.lines(f)) {
        lines = s.count();
      }
      if (lines > max) {
        over.put(root.relativize(f).toString(), lines);
      }
    }
    return over;
  }

  private static List<Path> files(Path root, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }
}
