package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DataConverterException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The picocli tree in-process, no stack: every usage renders cleanly; unknown verbs are bad input. */
class CommandTreeTest {
  record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void walk(CommandLine cmd, List<CommandLine> all) {
    all.add(cmd);
    cmd.getSubcommands().values().forEach(sub -> walk(sub, all));
  }

  /**
   * picocli formats descriptions with String.format: a bare '%' (archive_command's %p %f) makes
   * it print "[picocli WARN] Could not format ..." on stderr around the help text.
   */
  @Test
  void everyCommandsUsageRendersWithoutAWarning() {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<CommandLine> all = new ArrayList<>();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      walk(LifeboatCli.commandLine(Map.of(), new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter())), all);
      for (CommandLine cmd : all) {
        String usage = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(usage.startsWith("Usage: "), cmd.getCommandSpec().qualifiedName() + ": " + usage);
      }
    } finally {
      System.setErr(realErr);
    }
    String warnings = captured.toString(StandardCharsets.UTF_8);
    assertTrue(all.size() > 20, "the whole tree: " + all.size());
    assertFalse(warnings.contains("[picocli"), warnings);
    assertEquals("", warnings.strip());
    String walPush = all.stream().filter(c -> c.getCommandName().equals("wal-push")).findFirst()
        .orElseThrow().getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(walPush.contains("%p %f"), "the placeholders still read as PostgreSQL's: " + walPush);
  }

  @Test
  void topLevelHelpThroughExecuteIsCleanToo() {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      // the top-level help lists wal-push's and wal-fetch's descriptions
      Run r = cli("--help");
      assertEquals(0, r.exit(), r.err());
      assertEquals("", r.err());
      assertTrue(r.out().contains("%p %f"), r.out());
    } finally {
      System.setErr(realErr);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  private static void assertUnknown(String expected, Run r) {
    assertEquals(2, r.exit(), r.out() + r.err());
    assertEquals("", r.out(), "no usage printed for a verb that does not exist");
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals("lifeboat: " + expected, r.err().strip());
  }

  @Test
  void anUnknownVerbIsOneLineAndExit2WithOrWithoutHelp() {
    String daemon = "unknown command 'daemon' (see ./lifeboat help)";
    assertUnknown(daemon, cli("daemon"));
    assertUnknown(daemon, cli("daemon", "--help"));
    assertUnknown(daemon, cli("daemon", "-h"));
    assertUnknown("unknown command 'restic' (see ./lifeboat help)", cli("restic", "ls", "--help"));
    assertUnknown("unknown command 'restic' (see ./lifeboat help)", cli("restic", "ls"));
    assertUnknown("unknown command 'backup frob' (see ./lifeboat help)",
        cli("backup", "frob", "--help"));
  }

  @Test
  void knownVerbsAndHelpStillWork() {
    Run top = cli("--help");
    assertEquals(0, top.exit(), top.err());
    assertTrue(top.out().startsWith("Usage: lifeboat"), top.out());
    Run check = cli("check", "--help");
    assertEquals(0, check.exit(), check.err());
    assertTrue(check.out().startsWith("Usage: lifeboat check"), check.out());
    Run sync = cli("offsite", "sync", "--help");
    assertEquals(0, sync.exit(), sync.err());
    assertTrue(sync.out().startsWith("Usage: lifeboat offsite sync"), sync.out());
    Run version = cli("--version");
    assertEquals(0, version.exit(), version.err());
    // An option a command does not know, and an extra argument to a leaf, keep picocli's words.
    Run option = cli("backup", "db", "x", "--bogus");
    assertEquals(2, option.exit());
    assertTrue(option.err().contains("Unknown option: '--bogus'"), option.err());
    Run missing = cli("backup");
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("Missing required subcommand"), missing.err());
  }

  @Test
  void anEncryptedPayloadWithoutAKeyIsNamedByItsCauseChain() {
    Throwable sdk = new DataConverterException(
        "No PayloadConverter is registered for an encoding: binary/encrypted");
    assertTrue(ExitCodes.encryptedWithoutKey(new RuntimeException("query failed",
        new DataConverterException("when parsing", sdk))));
    assertFalse(ExitCodes.encryptedWithoutKey(new DataConverterException(
        "No PayloadConverter is registered for an encoding: binary/snappy")));
    assertFalse(ExitCodes.encryptedWithoutKey(new IllegalStateException(
        "No PayloadConverter is registered for an encoding: binary/encrypted")));
  }
}
