package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `./lifeboat help` is written by hand in the launcher (it must answer before anything is
 * built); this keeps it from drifting from the picocli tree: every verb an operator can type
 * is on it.
 */
class LauncherHelpTest {
  private static final Path LAUNCHER = Path.of("..").toAbsolutePath().normalize()
      .resolve("lifeboat");

  @Test
  void everyVisibleCliVerbIsInTheLaunchersHelp() throws Exception {
    String text = Files.readString(LAUNCHER);
    int start = text.indexOf("usage: ./lifeboat VERB");
    int end = text.indexOf("\nEOF", start);
    assertTrue(start > 0 && end > start, "no usage block in " + LAUNCHER);
    String usage = text.substring(start, end);

    CommandLine cli = LifeboatCli.commandLine(Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    List<String> missing = cli.getSubcommands().entrySet().stream()
        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
        .map(Map.Entry::getKey)
        .filter(verb -> !Pattern.compile("(?m)(^  |\\| )" + Pattern.quote(verb) + "\\b")
            .matcher(usage).find())
        .sorted().toList();
    assertEquals(List.of(), missing, "verbs missing from ./lifeboat help (the usage() in "
        + LAUNCHER + ")");
  }
}
