package io.lifeboat.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of one Prometheus text-format scrape, enough to assert on. */
record Scrape(String text, List<Sample> samples) {
  record Sample(String name, Map<String, String> labels, double value, String line) {
    boolean has(Map<String, String> wanted) {
      return labels.entrySet().containsAll(wanted.entrySet());
    }
  }

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3)), line));
    }
    return new Scrape(text, samples);
  }

  Optional<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).findFirst();
  }

  /**
   * Whether every series named is in this scrape. The workflows' series reach the registry when
   * the SDK's metrics scope next reports, on its own thread, which can run in the middle of one
   * workflow task's updates: a scrape that shows one of them need not show the next, so a test
   * waits for every series it asserts on, not the first.
   */
  boolean hasAll(List<Map.Entry<String, Map<String, String>>> series) {
    return series.stream().allMatch(e -> find(e.getKey(), e.getValue()).isPresent());
  }

  /** Names of the samples whose name starts with {@code prefix}. */
  Set<String> names(String prefix) {
    Set<String> names = new TreeSet<>();
    samples.stream().map(Sample::name).filter(n -> n.startsWith(prefix)).forEach(names::add);
    return names;
  }
}
