package io.lifeboat.cli;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders docs/reference/cli.md from the picocli command tree and docs/reference/failure-kinds.md
 * from {@link FailureKind}, so the reference cannot drift from the code. Not a command: run it
 * with {@link #REGENERATE}; {@code ReferenceDocsTest} fails when the committed files differ.
 */
public final class ReferenceDocs {
  /** The one command that rewrites both files; each file names it at its top. */
  public static final String REGENERATE = "mvn -q install -DskipTests -pl starter-cli -am"
      + " && mvn test -pl starter-cli -Dtest=ReferenceDocsTest -Dlifeboat.regenerateDocs=true";
  public static final String CLI_FILE = "cli.md";
  public static final String FAILURE_KINDS_FILE = "failure-kinds.md";

  private ReferenceDocs() {}

  /** Writes both files into {@code dir} (docs/reference). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "docs/reference");
    Files.createDirectories(dir);
    for (Map.Entry<String, String> f : files().entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** File name to content, in memory. */
  public static Map<String, String> files() {
    return Map.of(CLI_FILE, cli(), FAILURE_KINDS_FILE, failureKinds());
  }

  private static String header(String title, String source) {
    return "# " + title + "\n\n"
        + "Generated from " + source + " by `io.lifeboat.cli.ReferenceDocs`: do not edit by hand;"
        + " `ReferenceDocsTest` fails when this file is out of date. Regenerate it with:\n\n```\n"
        + REGENERATE + "\n```\n\n";
  }

  public static String failureKinds() {
    StringBuilder b = new StringBuilder(header("Failure kinds",
        "`workflows/src/main/java/io/lifeboat/failure/FailureKind.java`"));
    b.append("Every failure Lifeboat raises has one kind. The type is the Temporal failure type"
        + " (stable: histories and alerts refer to it). A non-retryable kind fails its activity"
        + " at once: only a person can fix it. A retryable one is retried by the activity's retry"
        + " policy (`retries:` in the config). The hint is what the one-line error tells the"
        + " operator to check.\n\n");
    b.append("| type | retryable | hint |\n|---|---|---|\n");
    for (FailureKind k : FailureKind.values()) {
      b.append("| `").append(k.type()).append("` | ").append(k.retryable() ? "yes" : "no")
          .append(" | ").append(cell(k.hint())).append(" |\n");
    }
    return b.toString();
  }

  public static String cli() {
    CommandLine root = LifeboatCli.commandLine(Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    StringBuilder b = new StringBuilder(header("Command-line reference",
        "the picocli command tree (`starter-cli/src/main/java/io/lifeboat/cli/`)"));
    b.append("`./lifeboat VERB ...` runs `lifeboat VERB ...` after building the CLI; the launcher"
        + " adds its own verbs (`up`, `down`, `status`, `demo`, `test`, `faults`, `acme`,"
        + " `help`), see the [README](../../README.md). Exit codes:"
        + " [exit-codes.md](exit-codes.md). `--help` and `--version` are left out below.\n\n");
    b.append("## Commands\n\n");
    walk(root, 0, (cmd, depth) -> {
      String name = cmd.getCommandSpec().qualifiedName(" ");
      b.append("  ".repeat(depth)).append("- [`").append(name).append("`](#")
          .append(anchor(name)).append(")\n");
    });
    b.append('\n');
    walk(root, 0, (cmd, depth) -> command(b, cmd));
    return b.toString();
  }

  private interface Visitor {
    void visit(CommandLine cmd, int depth);
  }

  private static void walk(CommandLine cmd, int depth, Visitor v) {
    if (cmd.getCommandSpec().usageMessage().hidden()) return;
    v.visit(cmd, depth);
    for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
      // aliases appear as further keys of the same command
      if (sub.getKey().equals(sub.getValue().getCommandName())) walk(sub.getValue(), depth + 1, v);
    }
  }

  private static void command(StringBuilder b, CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    String name = spec.qualifiedName(" ");
    b.append("## ").append(name).append("\n\n");
    CommandLine.Help help = new CommandLine.Help(spec,
        CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    b.append("```\n").append(help.synopsis(0).stripTrailing()).append("\n```\n\n");
    String description = text(spec.usageMessage().description());
    if (!description.isEmpty()) b.append(description).append("\n\n");
    List<PositionalParamSpec> params = spec.positionalParameters().stream()
        .filter(p -> !p.hidden()).toList();
    if (!params.isEmpty()) {
      b.append("| parameter | description |\n|---|---|\n");
      for (PositionalParamSpec p : params) {
        b.append("| `").append(p.paramLabel()).append("` | ").append(cell(described(p)))
            .append(" |\n");
      }
      b.append('\n');
    }
    List<OptionSpec> options = spec.options().stream()
        .filter(o -> !o.hidden() && !o.usageHelp() && !o.versionHelp()).toList();
    if (!options.isEmpty()) {
      b.append("| option | description |\n|---|---|\n");
      for (OptionSpec o : options) {
        String names = String.join(", ", o.names());
        String label = o.typeInfo().isBoolean() && o.arity().max() == 0 ? "" : " " + o.paramLabel();
        b.append("| `").append(names).append(label).append("` | ").append(cell(described(o)))
            .append(" |\n");
      }
      b.append('\n');
    }
    List<String> subs = cmd.getSubcommands().entrySet().stream()
        .filter(e -> e.getKey().equals(e.getValue().getCommandName()))
        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
        .map(e -> "[`" + e.getKey() + "`](#" + anchor(name + " " + e.getKey()) + ")").toList();
    if (!subs.isEmpty()) b.append("Subcommands: ").append(String.join(", ", subs)).append("\n\n");
  }

  private static String described(ArgSpec a) {
    String d = text(a.description());
    String def = a.defaultValue();
    if (def != null && !def.isEmpty() && !d.contains(def)) {
      d = (d.isEmpty() ? "" : d + " ") + "(default: `" + def + "`)";
    }
    if (a.required()) d = "required. " + d;
    return d;
  }

  /** picocli runs descriptions through String.format: %% is a percent sign, %n a new line. */
  private static String text(String[] lines) {
    StringBuilder b = new StringBuilder();
    for (String line : lines) {
      String s;
      try {
        s = String.format(line);
      } catch (IllegalFormatException e) {
        s = line;
      }
      if (b.length() > 0) b.append(' ');
      b.append(s.replaceAll("\\s*\\R\\s*", " ").strip());
    }
    return b.toString().strip();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }

  /** GitHub's heading anchor: lower case, spaces to dashes, punctuation other than - and _ dropped. */
  static String anchor(String heading) {
    return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
        .replace(' ', '-');
  }
}
