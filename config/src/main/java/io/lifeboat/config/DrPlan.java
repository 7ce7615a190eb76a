package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DR plan's facts that the config also states (issue 22): the plan is a document people
 * read on the worst day (docs/operator/dr-plan.md), so it keeps its facts in one fenced
 * {@code yaml lifeboat-plan} block, and {@code lifeboat config check --plan FILE} refuses a
 * config and a plan that disagree: a plan promising a 30-minute RTO while the config measures
 * against 60 is a plan nobody can keep.
 *
 * @param targets the promises: must equal the config's {@code targets:}
 * @param roles who does what; every name the config lets approve a step must hold a role
 * @param priorities P1 (critical), P2 (high), P3 (medium) per database and application: every
 *     one the config backs up has one, so the order of recovery is decided before the day
 * @param statusEveryMinutes how often stakeholders hear during a recovery (the seed: 30)
 */
public record DrPlan(
    @JsonProperty(required = true) TargetsConfig targets,
    @JsonProperty(required = true) List<Role> roles,
    @JsonProperty(required = true) Map<String, String> priorities,
    Integer statusEveryMinutes) {

  /** A person's part in the plan; {@code name} is what they type after {@code --by}. */
  public record Role(
      @JsonProperty(required = true) String role,
      @JsonProperty(required = true) String name,
      String contact) {}

  private static final Pattern BLOCK =
      Pattern.compile("(?ms)^```yaml lifeboat-plan\\s*\\n(.*?)^```\\s*$");
  private static final Set<String> PRIORITIES = Set.of("P1", "P2", "P3");

  public DrPlan {
    roles = roles == null ? List.of() : List.copyOf(roles);
    priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
  }

  /** Reads the one {@code yaml lifeboat-plan} block of a Markdown plan. */
  public static DrPlan fromMarkdown(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("DR plan " + file + " not found");
    } catch (IOException e) {
      throw new ConfigException("DR plan " + file + " cannot be read: " + e.getMessage());
    }
    Matcher m = BLOCK.matcher(text);
    if (!m.find()) {
      throw new ConfigException("DR plan " + file + " has no ```yaml lifeboat-plan block");
    }
    String yaml = m.group(1);
    if (m.find()) {
      throw new ConfigException("DR plan " + file + " has two ```yaml lifeboat-plan blocks");
    }
    try {
      return new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(yaml, DrPlan.class);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst()
          .orElse(e.toString());
      throw new ConfigException("DR plan " + file + ": the lifeboat-plan block is malformed: "
          + why);
    }
  }

  /** Where the plan and the config disagree, one line each; empty when they agree. */
  public List<String> disagreements(LifeboatConfig config) {
    List<String> out = new ArrayList<>();
    TargetsConfig c = config.targets() == null ? TargetsConfig.DEFAULT : config.targets();
    compare(out, "databaseRtoMinutes", targets.databaseRtoMinutes(), c.databaseRtoMinutes());
    compare(out, "serverRtoMinutes", targets.serverRtoMinutes(), c.serverRtoMinutes());
    compare(out, "applicationRtoMinutes", targets.applicationRtoMinutes(),
        c.applicationRtoMinutes());
    compare(out, "rpoMinutes", targets.rpoMinutes(), c.rpoMinutes());

    Set<String> sources = new TreeSet<>();
    config.databases().forEach(d -> sources.add(d.name()));
    if (config.applications() != null) {
      config.applications().forEach(a -> sources.add(a.name()));
    }
    for (String s : sources) {
      if (!priorities.containsKey(s)) {
        out.add("the plan gives no priority (P1, P2 or P3) to '" + s + "', which the config backs up");
      }
    }
    new java.util.TreeMap<>(priorities).forEach((name, p) -> {
      if (!PRIORITIES.contains(p)) {
        out.add("the plan's priority of '" + name + "' is '" + p + "'; use P1, P2 or P3");
      } else if (!sources.contains(name)) {
        out.add("the plan gives a priority to '" + name + "', which the config does not name");
      }
    });

    Set<String> people = new TreeSet<>();
    roles.forEach(r -> people.add(r.name()));
    if (config.drills() != null) {
      Set<String> approvers = new TreeSet<>(config.drills().approvers());
      if (config.drills().lead() != null && !config.drills().lead().isBlank()) {
        approvers.add(config.drills().lead());
      }
      for (String a : approvers) {
        if (!people.contains(a)) {
          out.add("'" + a + "' may approve drill steps in the config but holds no role in the plan");
        }
      }
    }
    return out;
  }

  private static void compare(List<String> out, String what, Integer plan, Integer config) {
    if (plan != null && !plan.equals(config)) {
      out.add("targets." + what + ": the plan promises " + plan + ", the config measures against "
          + config);
    }
  }
}
