package io.lifeboat.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lifeboat.config.ConfigException;
import io.lifeboat.storage.StorageException;
import io.lifeboat.worker.codec.EncryptionCodec;
import io.temporal.common.converter.DataConverterException;
import java.util.List;
import picocli.CommandLine;

/**
 * Every exception that can leave a command, mapped to one line and an exit code, here only.
 * 0 ok, 1 the operation failed, 2 bad input, 3 a part of the stack is unreachable; and for
 * wal-fetch (PostgreSQL's restore_command) 1 "not in the archive", 128 for every other failure.
 */
public final class ExitCodes implements CommandLine.IExecutionExceptionHandler,
    CommandLine.IParameterExceptionHandler {
  // the numbers live in the one table, dist/src/share/exit-codes.tsv (ExitCodeTable)
  public static final int FAILED = ExitCodeTable.code("failed");
  static final int BAD_INPUT = ExitCodeTable.code("bad_input");
  static final int UNREACHABLE = ExitCodeTable.code("unreachable");
  /**
   * restore_command: PostgreSQL takes exit 1..125 as "the archive does not have this file" and
   * ends recovery there (promoting with whatever WAL it has); above 125 it aborts recovery
   * instead. 128, not 126/127 (the server log would call those "command not executable/not
   * found") nor 128+N (read as "killed by signal N"; 143 as a clean shutdown request).
   */
  static final int STOP_RECOVERY = ExitCodeTable.code("stop_recovery");
  private static final String RESTORE_COMMAND = "wal-fetch";

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    return forRestoreCommand(cmd, map(e, cmd));
  }

  private int map(Exception e, CommandLine cmd) {
    Throwable t = e;
    if (t instanceof UserError || t instanceof ConfigException) {
      return print(cmd, t.getMessage(), BAD_INPUT);
    }
    if (t instanceof OperationFailed) {
      return print(cmd, t.getMessage(), FAILED);
    }
    if (t instanceof StorageException se) {
      return print(cmd, se.getMessage() + " (" + se.kind().hint() + ")", FAILED);
    }
    io.temporal.payload.codec.PayloadCodecException codec =
        find(t, io.temporal.payload.codec.PayloadCodecException.class);
    if (codec != null) {
      return print(cmd, codec.getMessage(), BAD_INPUT);
    }
    if (encryptedWithoutKey(t)) {
      return print(cmd, ENCRYPTED_WITHOUT_KEY, BAD_INPUT);
    }
    StatusRuntimeException grpc = find(t, StatusRuntimeException.class);
    if (grpc != null) {
      Status.Code code = grpc.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        return print(cmd, "cannot reach Temporal (" + grpc.getStatus().getDescription()
            + "); is the stack up? try ./lifeboat status", UNREACHABLE);
      }
      return print(cmd, "Temporal refused: " + grpc.getStatus(), FAILED);
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return print(cmd, "unexpected error: " + msg.lines().findFirst().orElse(msg)
        + " (set LIFEBOAT_DEBUG=1 for details)", FAILED);
  }

  /** What a config without a payload key is told when it meets an encrypted payload. */
  static final String ENCRYPTED_WITHOUT_KEY = "the workflows in this Temporal namespace are"
      + " encrypted (payload encoding " + EncryptionCodec.ENCODING + ") and this config has no"
      + " payload key: set temporal.payloadEncryption in the config, with keysetFile: PATH or"
      + " keysetEnv: VAR naming the keyset the worker uses";

  private static final String NO_CONVERTER = "No PayloadConverter is registered for an encoding: ";

  /**
   * True when a payload could not be read because it is encrypted and this process has no
   * codec: the SDK's DataConverterException naming our encoding, anywhere in the cause chain.
   */
  static boolean encryptedWithoutKey(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof DataConverterException && c.getMessage() != null
          && c.getMessage().contains(NO_CONVERTER + EncryptionCodec.ENCODING)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A payload this config cannot read: encrypted while this config has no key, or encrypted
   * with a key that is not in this config's keyset. Never a transient failure.
   */
  public static boolean payloadKeyProblem(Throwable t) {
    return encryptedWithoutKey(t)
        || find(t, io.temporal.payload.codec.PayloadCodecException.class) != null;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String unknown = unknownCommand(ex);
    if (unknown != null) return forRestoreCommand(cmd, print(cmd, unknown, BAD_INPUT));
    String hint = cmd.getCommandSpec().qualifiedName();
    return forRestoreCommand(cmd,
        print(cmd, ex.getMessage() + " (see '" + hint + " --help')", BAD_INPUT));
  }

  /**
   * A word where a command with subcommands (and no positional parameters) expects its verb:
   * {@code lifeboat agent}, {@code lifeboat repo ls}, {@code lifeboat backup frob}. Null for
   * anything else (an unknown option, an extra argument to a leaf command keep picocli's words).
   */
  static String unknownCommand(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) return null;
    CommandLine cmd = ex.getCommandLine();
    if (cmd == null || cmd.getSubcommands().isEmpty()
        || !cmd.getCommandSpec().positionalParameters().isEmpty()) {
      return null;
    }
    List<String> words = u.getUnmatched();
    if (words.isEmpty() || words.get(0).startsWith("-")) return null;
    String path = cmd.getCommandSpec().qualifiedName(" ");
    String parent = path.contains(" ") ? path.substring(path.indexOf(' ') + 1) : "";
    // ./lifeboat help, not "VERB --help": most verbs have no --help option of their own
    return "unknown command '" + (parent.isEmpty() ? "" : parent + " ") + words.get(0)
        + "' (see ./lifeboat help)";
  }

  /**
   * wal-fetch answers "not in the archive" (1) itself; any failure that reaches here (a
   * corrupt or undecryptable segment, an unreachable repository, a misconfigured
   * restore_command such as %p and %f swapped) must stop the recovery, not end it early.
   */
  private static int forRestoreCommand(CommandLine cmd, int code) {
    return code != 0 && RESTORE_COMMAND.equals(cmd.getCommandName()) ? STOP_RECOVERY : code;
  }

  private static final java.util.regex.Pattern OVERLONG = java.util.regex.Pattern.compile("[^\\s']{121,}");

  private static int print(CommandLine cmd, String message, int code) {
    cmd.getErr().println("lifeboat: " + abbreviate(message.replace('\n', ' ')));
    if (System.getenv("LIFEBOAT_DEBUG") != null) {
      new Throwable("debug trace").printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return code;
  }

  /** A pasted blob in an argument must not turn the one line into a screenful. */
  static String abbreviate(String message) {
    return OVERLONG.matcher(message).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        m.group().substring(0, 40) + "…(" + m.group().length() + " characters)"));
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) return type.cast(c);
    }
    return null;
  }
}
