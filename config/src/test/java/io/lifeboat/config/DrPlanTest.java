package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DR plan and the config state the same facts, or `config check --plan` says where not. */
class DrPlanTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path PLAN = ROOT.resolve("docs/operator/dr-plan.md");
  private static final Path EXAMPLE = ROOT.resolve("examples/farmtally/lifeboat.yml");

  @TempDir Path dir;

  /** The shipped plan and the shipped config agree: the pair a new operator starts from. */
  @Test
  void theShippedPlanAgreesWithTheExampleConfig() {
    LifeboatConfig config = new ConfigLoader().load(EXAMPLE);
    assertEquals(List.of(), DrPlan.fromMarkdown(PLAN).disagreements(config));
  }

  @Test
  void aChangedTargetAMissingPriorityAndAnApproverWithoutARoleAreEachOneLine() throws IOException {
    String plan = Files.readString(PLAN)
        .replace("databaseRtoMinutes: 30", "databaseRtoMinutes: 20")
        .replace("  farmtally: P1 ", "  somethingelse: P4 ")
        .replace("name: drill-lead", "name: somebody");
    Path p = dir.resolve("plan.md");
    Files.writeString(p, plan);
    List<String> out = DrPlan.fromMarkdown(p).disagreements(new ConfigLoader().load(EXAMPLE));
    assertEquals(List.of(
        "targets.databaseRtoMinutes: the plan promises 20, the config measures against 30",
        "the plan gives no priority (P1, P2 or P3) to 'farmtally', which the config backs up",
        "the plan's priority of 'somethingelse' is 'P4'; use P1, P2 or P3",
        "'drill-lead' may approve drill steps in the config but holds no role in the plan"),
        out);
  }

  @Test
  void aPlanWithoutTheBlockOrWithAMalformedOneIsRefusedInOneLine() throws IOException {
    Path none = dir.resolve("none.md");
    Files.writeString(none, "# plan\n\nno facts here\n");
    ConfigException e = assertThrows(ConfigException.class, () -> DrPlan.fromMarkdown(none));
    assertTrue(e.getMessage().contains("has no ```yaml lifeboat-plan block"), e.getMessage());

    Path bad = dir.resolve("bad.md");
    Files.writeString(bad, "```yaml lifeboat-plan\ntargets: {databaseRtoMinutes: 30}\nroles: []\n"
        + "priorities: {}\nunknownKey: 1\n```\n");
    e = assertThrows(ConfigException.class, () -> DrPlan.fromMarkdown(bad));
    assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());

    e = assertThrows(ConfigException.class, () -> DrPlan.fromMarkdown(dir.resolve("missing.md")));
    assertTrue(e.getMessage().endsWith("not found"), e.getMessage());
  }
}
