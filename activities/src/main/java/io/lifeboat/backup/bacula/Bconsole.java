package io.lifeboat.backup.bacula;

import io.lifeboat.failure.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bconsole as a child process: the commands on its stdin (then end of input, so a prompt ends
 * the session instead of hanging), its output parsed. bconsole reads the Director's password
 * from its own config file; Lifeboat never sees it.
 */
final class Bconsole {
  private static final Pattern QUEUED = Pattern.compile("Job queued\\. JobId=(\\d+)");
  private static final Pattern FIELD = Pattern.compile("^\\s*([A-Za-z]+): ?(.*)$");
  static final long TIMEOUT_SECONDS = 120;

  private final String config;

  Bconsole(String config) {
    this.config = config;
  }

  /** The output of one session; BACULA_UNAVAILABLE when bconsole cannot reach the Director. */
  String run(String... commands) {
    ProcessBuilder pb = new ProcessBuilder(executable(), "-c", config).redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw FailureKind.BACULA_UNAVAILABLE.failure("cannot start bconsole (is bacula-console"
          + " installed? `./lifeboat up` installs it): " + e.getMessage());
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write((String.join("\n", commands) + "\nquit\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // bconsole ended before reading its input: its output says why
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> copy(p.getInputStream(), out), "bconsole-out");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw FailureKind.BACULA_UNAVAILABLE.failure("bconsole -c " + config + " did not finish"
            + " within " + TIMEOUT_SECONDS + " s (" + String.join("; ", commands) + ")");
      }
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while bconsole ran", e);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || !text.contains("1000 OK")) {
      throw FailureKind.BACULA_UNAVAILABLE.failure("bconsole -c " + config + " could not talk to"
          + " the Director (exit " + p.exitValue() + "): " + tail(text));
    }
    return text;
  }

  /** bconsole from PATH, else Debian's /usr/sbin (often not on a service user's PATH). */
  static String executable() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "bconsole"))) {
          return java.nio.file.Path.of(dir, "bconsole").toString();
        }
      }
    }
    return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/bconsole"))
        ? "/usr/sbin/bconsole" : "bconsole";
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** The last non-empty lines of bconsole's output, joined on one line. */
  static String tail(String text) {
    List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  /** The JobId of "Job queued. JobId=N"; -1 when there is none. */
  static long queuedJobId(String text) {
    Matcher m = QUEUED.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The records of an {@code llist} answer, each starting at its JobId line. */
  static List<Map<String, String>> records(String text) {
    List<Map<String, String>> records = new ArrayList<>();
    Map<String, String> current = null;
    for (String line : text.split("\n")) {
      Matcher m = FIELD.matcher(line);
      if (!m.matches()) continue;
      String key = m.group(1);
      if (key.equals("JobId")) {
        current = new LinkedHashMap<>();
        records.add(current);
      }
      if (current != null) current.putIfAbsent(key, m.group(2).strip());
    }
    return records;
  }

  /**
   * The first "Fatal error" (else "Error") line of a {@code list joblog} answer, without the
   * table's frame and Bacula's summary header; null when there is none.
   */
  static String firstError(String text) {
    String error = null;
    for (String raw : text.split("\n")) {
      String line = raw.replaceAll("^[|\\s]+", "").replaceAll("[|\\\\\\s]+$", "");
      int at = line.indexOf(": ");
      String msg = at >= 0 && line.contains(" JobId ") ? line.substring(at + 2) : line;
      if (msg.startsWith("Fatal error:")) return msg;
      if (error == null && msg.startsWith("Error:") && !msg.startsWith("Error: Bacula ")) {
        error = msg;
      }
    }
    return error;
  }

  /** Bacula's words for a JobStatus letter. */
  static String statusText(String status) {
    return switch (status == null ? "" : status) {
      case "T" -> "completed OK";
      case "E" -> "terminated in error";
      case "e" -> "non-fatal error";
      case "f" -> "fatal error";
      case "A" -> "canceled";
      case "D" -> "verify found differences";
      case "I" -> "incomplete";
      case "W" -> "terminated with warnings";
      case "R" -> "running";
      case "C" -> "created, not yet running";
      default -> "waiting (" + status + ")";
    };
  }

  /** The job has ended, one way or the other. */
  static boolean terminal(String status) {
    return status != null && status.length() == 1 && "TEefADIW".contains(status);
  }
}
