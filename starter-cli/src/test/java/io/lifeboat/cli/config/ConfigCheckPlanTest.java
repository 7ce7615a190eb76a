package io.lifeboat.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.cli.LifeboatCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `config check --plan FILE`: the DR plan and the config agree, or each disagreement is a line. */
class ConfigCheckPlanTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/farmtally/lifeboat.yml");
  private static final Path PLAN = ROOT.resolve("docs/operator/dr-plan.md");

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theShippedPlanAgrees() {
    Run r = cli("config", "check", "--config", EXAMPLE.toString(), "--plan", PLAN.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("the DR plan " + PLAN + " agrees"), r.out());
  }

  @Test
  void aPlanThatPromisesAnotherRtoIsRefusedWithOneLinePerDisagreement() throws Exception {
    Path plan = dir.resolve("plan.md");
    Files.writeString(plan, Files.readString(PLAN)
        .replace("serverRtoMinutes: 120", "serverRtoMinutes: 60")
        .replace("rpoMinutes: 15", "rpoMinutes: 5"));
    Run r = cli("config", "check", "--config", EXAMPLE.toString(), "--plan", plan.toString());
    assertEquals(2, r.exit());
    assertEquals("", r.out());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(2, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("lifeboat: ") && lines.get(0).endsWith(
        "targets.serverRtoMinutes: the plan promises 60, the config measures against 120"), lines.get(0));
    assertTrue(lines.get(1).endsWith(
        "targets.rpoMinutes: the plan promises 5, the config measures against 15"), lines.get(1));
  }

  @Test
  void aMissingPlanIsOneLineExitTwo() {
    Run r = cli("config", "check", "--config", EXAMPLE.toString(), "--plan",
        dir.resolve("nope.md").toString());
    assertEquals(2, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("not found"), r.err());
  }
}
