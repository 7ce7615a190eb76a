package io.lifeboat.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code approvals:}: who may approve a human step ({@code lifeboat approve ... --by NAME}).
 * A step's own list wins over its workflow kind's; with neither, the workflow's default
 * applies (a drill: {@code drills.approvers}; anything else: anyone who names themself).
 *
 * <pre>
 * approvals:
 *   workflows:                 # by workflow kind: server-recovery, drill
 *     server-recovery: [alice, bob]
 *   steps:                     # by step name: provision, dns, start, sign-off-SCENARIO
 *     dns: [carol]
 * </pre>
 */
public record ApprovalsConfig(Map<String, List<String>> workflows,
    Map<String, List<String>> steps) {
  public static final ApprovalsConfig NONE = new ApprovalsConfig(null, null);
  /** The workflow kinds with human steps. */
  public static final List<String> KINDS = List.of("server-recovery", "drill");

  public ApprovalsConfig {
    workflows = copy(workflows);
    steps = copy(steps);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> m) {
    Map<String, List<String>> out = new TreeMap<>();
    if (m != null) {
      m.forEach((k, v) -> out.put(k, v == null ? List.of() : v.stream()
          .map(s -> s == null ? null : s.strip()).toList()));
    }
    return out;
  }

  /** Who may approve {@code step} of a {@code kind} workflow; empty: this config says nothing. */
  public List<String> forStep(String kind, String step) {
    List<String> s = steps.get(step);
    if (s != null && !s.isEmpty()) return s;
    List<String> k = workflows.get(kind);
    return k == null ? List.of() : k;
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return workflows.isEmpty() && steps.isEmpty();
  }

  /** Names of one line, at most 100 characters; kinds that have human steps. */
  static void validate(String where, ApprovalsConfig a) {
    for (String kind : a.workflows().keySet()) {
      if (!KINDS.contains(kind)) {
        throw new ConfigException(where + ": 'approvals.workflows." + kind + "' is not a"
            + " workflow kind with human steps (" + String.join(", ", KINDS) + ")");
      }
    }
    for (var e : a.steps().entrySet()) {
      if (!e.getKey().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        throw new ConfigException(where + ": 'approvals.steps." + e.getKey() + "' is not a step"
            + " name (lower-case letters, digits, '.', '_', '-')");
      }
    }
    var all = new java.util.ArrayList<Map.Entry<String, List<String>>>();
    a.workflows().entrySet().forEach(all::add);
    a.steps().entrySet().forEach(all::add);
    for (var e : all) {
      if (e.getValue().isEmpty()) {
        throw new ConfigException(where + ": 'approvals' lists nobody for " + e.getKey()
            + "; remove the entry or name who may approve");
      }
      for (String n : e.getValue()) {
        if (n == null || n.isBlank() || n.length() > 100 || n.contains("\n")) {
          throw new ConfigException(where + ": 'approvals' lists names of one line, at most"
              + " 100 characters (" + e.getKey() + ")");
        }
      }
    }
  }
}
