package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.Secrets;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.TemporalConnection;
import io.lifeboat.worker.codec.PayloadKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs every line of bad-input/corpus.tsv through the real CLI against the real stack: one
 * line on stderr, the expected exit code, no stack trace, and nothing changed.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
  private static final String LONG = "a".repeat(10_000);
  private static final Path PWNED = Path.of("/tmp/lifeboat-pwned");

  private RealStack stack;
  private Path config;
  private Path badConfigs;

  @BeforeAll
  void up() throws Exception {
    stack = new RealStack();
    config = stack.config("corpus", root -> { });
    badConfigs = stack.dir.resolve("bad-input");
    Files.createDirectories(badConfigs);
    // Every {bad:NAME} the corpus names, so a new line needs no second list to be kept.
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (Case c : corpus()) {
      for (String arg : c.args()) {
        if (arg.startsWith("{bad:") && arg.endsWith("}")) {
          names.add(arg.substring(5, arg.length() - 1));
        }
      }
    }
    for (String name : names) {
      try (var in = getClass().getResourceAsStream("/bad-input/" + name + ".yml")) {
        if (in == null) throw new IllegalStateException("corpus names bad-input/" + name + ".yml");
        Files.copy(in, badConfigs.resolve(name + ".yml"));
      }
    }
    Files.deleteIfExists(PWNED);
    sealDrill();
  }

  /**
   * Configs that cannot read the namespace's encrypted payloads ({config:NAME}): one without a
   * payload key, one with a key the workflows were not written with. So that there is an
   * encrypted payload to read, a drill started under a payload key of its own (its own stack,
   * estate and task queue, so the "no workflow started" check below does not count it) waits
   * for its start approval, with a worker that answers its queries in ciphertext.
   */
  private RealStack sealed;
  private TemporalConnection sealedTemporal;
  private LifeboatWorker sealedWorker;
  private String sealedDrill;
  private final java.util.Map<String, Path> configs = new java.util.HashMap<>();

  private void sealDrill() throws Exception {
    Path writerKey = stack.dir.resolve("writer-payload-key.json");
    Path otherKey = stack.dir.resolve("other-payload-key.json");
    PayloadKeys.generate(writerKey);
    PayloadKeys.generate(otherKey);
    configs.put("no-payload-key", stack.config("no-payload-key",
        root -> root.with("temporal").remove("payloadEncryption")));
    configs.put("other-payload-key", stack.config("other-payload-key",
        root -> root.with("temporal").putObject("payloadEncryption")
            .put("keysetFile", otherKey.toString()).put("codecServerPort", 0)));

    sealed = new RealStack();
    Path sealedConfig = sealed.config("sealed", root -> {
      root.put("estate", sealed.tag);
      root.putObject("drills").put("lead", "ana").put("reminderMinutes", 60);
      root.with("temporal").putObject("payloadEncryption")
          .put("keysetFile", writerKey.toString()).put("codecServerPort", 0);
    });
    sealedTemporal = TemporalConnection.open(new ConfigLoader().load(sealedConfig).temporal());
    sealedWorker = new LifeboatWorker(sealedTemporal.client(), sealed.taskQueue,
        Secrets.fromEnvironment()).start();
    RealStack.Run started = sealed.cli("drill", "start", "quarterly", "--scenario", "database",
        "--config", sealedConfig.toString());
    assertEquals(0, started.exit(), started.out() + started.err());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("started drill \\w+: (\\S+)")
        .matcher(started.out());
    assertTrue(m.find(), started.out());
    sealedDrill = m.group(1);
    // `waiting` lists from visibility, which lags: wait until it shows the sealed drill.
    for (int i = 0; ; i++) {
      RealStack.Run w = sealed.cli("waiting", "--json", "--config", sealedConfig.toString());
      if (w.exit() == 0 && w.out().contains(sealedDrill) && w.out().contains("approve-start")
          && !w.out().contains("no worker answered")) {
        break;
      }
      if (i > 240) throw new AssertionError("the sealed drill never waited: " + w.out() + w.err());
      Thread.sleep(500);
    }
  }

  /** What one corpus line did, for the summary table. */
  record Outcome(int line, boolean clearOneLine, boolean stackTrace, boolean changed) {}

  private final List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());

  /**
   * The summary CI prints (the launcher cats it: surefire keeps test stdout in a file):
   * cases, clear one-line errors, stack traces, changes made.
   */
  static String table(List<Outcome> outcomes) {
    long clear = outcomes.stream().filter(Outcome::clearOneLine).count();
    long traces = outcomes.stream().filter(Outcome::stackTrace).count();
    long changed = outcomes.stream().filter(Outcome::changed).count();
    StringBuilder sb = new StringBuilder("## Bad-input corpus\n\n")
        .append("| cases | clear one-line errors | stack traces | changes made |\n")
        .append("|---|---|---|---|\n")
        .append("| ").append(outcomes.size()).append(" | ").append(clear).append(" | ")
        .append(traces).append(" | ").append(changed).append(" |\n");
    for (Outcome o : outcomes) {
      if (!o.clearOneLine() || o.stackTrace() || o.changed()) {
        sb.append("\nline ").append(o.line()).append(": clear=").append(o.clearOneLine())
            .append(" stack trace=").append(o.stackTrace()).append(" changed=")
            .append(o.changed());
      }
    }
    return sb.append('\n').toString();
  }

  @AfterAll
  void down() throws Exception {
    Path out = Path.of("target/bad-input/table.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table(List.copyOf(outcomes)));
    System.out.print(table(List.copyOf(outcomes)));
    try {
      // Visibility lags a little; by now every line has run, so anything started would show.
      long started = stack.temporal().client()
          .listExecutions("TaskQueue = '" + stack.taskQueue + "'").count();
      assertEquals(0, started, "no workflow was started by bad input");
      assertFalse(Files.exists(PWNED), "no argument went through a shell");
    } finally {
      try {
        if (sealedDrill != null) {
          sealedTemporal.client().newUntypedWorkflowStub(sealedDrill)
              .terminate("bad-input corpus fixture done");
        }
      } finally {
        if (sealedWorker != null) sealedWorker.close();
        if (sealedTemporal != null) sealedTemporal.close();
        if (sealed != null) sealed.close();
        stack.close();
      }
    }
  }

  record Case(int exit, String phrase, List<String> args, int line) {}

  private List<Case> corpus() throws Exception {
    List<Case> cases = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(
        getClass().getResourceAsStream("/bad-input/corpus.tsv"), StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        n++;
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split("\t");
        cases.add(new Case(Integer.parseInt(f[0]), f[1],
            Arrays.asList(f).subList(2, f.length), n));
      }
    }
    return cases;
  }

  private String expand(String arg) {
    if (arg.equals("{config}")) return config.toString();
    if (arg.equals("{long}")) return LONG;
    if (arg.startsWith("{config:")) {
      Path p = configs.get(arg.substring(8, arg.length() - 1));
      if (p == null) throw new IllegalArgumentException("no test config " + arg);
      return p.toString();
    }
    if (arg.startsWith("{bad:")) {
      return badConfigs.resolve(arg.substring(5, arg.length() - 1) + ".yml").toString();
    }
    return arg;
  }

  @TestFactory
  Stream<DynamicTest> everyLineIsOneClearLineAndChangesNothing() throws Exception {
    return corpus().stream().map(c -> DynamicTest.dynamicTest(
        "line " + c.line() + ": " + String.join(" ", c.args()).replace(LONG, "{long}"), () -> {
          List<String> before = stack.keys();
          String[] args = c.args().stream().map(this::expand).toArray(String[]::new);
          RealStack.Run run = stack.cli(args);
          String err = run.err().strip();
          boolean trace = err.contains("Exception") || err.contains("\tat ");
          boolean clear = run.exit() == c.exit() && err.lines().count() == 1
              && err.startsWith("lifeboat: ") && err.contains(c.phrase()) && !trace
              && err.length() < 600;
          outcomes.add(new Outcome(c.line(), clear, trace, !before.equals(stack.keys())));
          assertEquals(c.exit(), run.exit(), "exit code; stderr: " + err);
          assertEquals(1, err.lines().count(), "one line: " + err);
          assertTrue(err.startsWith("lifeboat: "), err);
          assertTrue(err.contains(c.phrase()), "'" + c.phrase() + "' in: " + err);
          assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
          assertTrue(err.length() < 600, "a line a person can read, not " + err.length() + " chars");
          assertEquals(before, stack.keys(), "nothing written to the repository");
        }));
  }
}
