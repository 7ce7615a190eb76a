package io.lifeboat.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for the ids of Lifeboat's workflows and schedules: {@code KIND-ESTATE[-SUBJECT]},
 * the estate reduced to letters, digits, {@code _ . -} (anything else becomes {@code _}).
 *
 * <p>A workflow id is a lock over the whole Temporal namespace (a start while a run of that id
 * runs is refused), and a schedule id names one schedule in it. One namespace may serve several
 * estates with databases, applications and targets of the same name, so every id names the
 * estate, in the same place, spelled the same way. Each workflow interface builds its own ids
 * with this rule ({@code DatabaseBackupWorkflow.workflowId(estate, database)}, ...).
 *
 * <p>Ids from before this rule stay findable: each interface names its older spellings
 * ({@code legacy...Ids}); {@code schedules apply} retires old schedules that are provably this
 * estate's, and a start refuses while a run under an old id still runs.
 */
public final class WorkflowIds {
  /** What a run started by hand appends to its base id (a schedule appends its fire time). */
  public static final String MANUAL = "-manual";

  private WorkflowIds() {}

  /** {@code KIND-ESTATE[-SUBJECT...]}: the id of {@code kind} for this estate and subject. */
  public static String of(String kind, String estate, String... subject) {
    if (kind == null || kind.isBlank()) throw new IllegalArgumentException("an id needs a kind");
    if (estate == null || estate.isBlank()) throw new IllegalArgumentException("an id needs an estate");
    StringBuilder b = new StringBuilder(kind).append('-').append(estate(estate));
    for (String s : subject) {
      if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty subject in " + b);
      b.append('-').append(s);
    }
    return b.toString();
  }

  /** The estate as it appears in ids. */
  public static String estate(String estate) {
    return estate.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  /** The id of a run started by hand. */
  public static String manual(String baseId) {
    return baseId + MANUAL;
  }

  /** The older spellings that differ from {@code current}, without repeats, in order. */
  public static List<String> olderThan(String current, String... older) {
    List<String> out = new ArrayList<>();
    for (String o : older) {
      if (o != null && !o.equals(current) && !out.contains(o)) out.add(o);
    }
    return List.copyOf(out);
  }
}
