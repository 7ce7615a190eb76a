package io.lifeboat.recover.db;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.StandardOpenOption;

/**
 * What a recovering server is told: the recovery settings on its command line (restore_command,
 * the target, promote, archiving off) and, once it is live, recovery.serverSettings in
 * postgresql.auto.conf. Pure text, except {@link #applySettings}, which appends it.
 */
final class RecoverySettings {
  private RecoverySettings() {}

  /**
   * The recovery settings go on the server's command line, not into its config files: the
   * swapped-in directory then carries no trace of them. Archiving is off on the scratch
   * server, so an abandoned attempt can never put a timeline into the archive.
   */
  static List<String> serverOptions(PitrRequest req, Path work) {
    return serverOptions(req, work, true);
  }

  /** The same, without the target when {@code withTarget} is false: replay to the end. */
  static List<String> serverOptions(PitrRequest req, Path work, boolean withTarget) {
    List<String> o = new ArrayList<>();
    o.add("-c archive_mode=off");
    o.add("-c hot_standby=on");
    o.add("-c restore_command='" + sh(work.resolve("restore.sh").toString()) + " %f %p'");
    o.add("-c recovery_target_action=promote");
    o.add("-c recovery_target_timeline=latest");
    // Where the server is reached: the scratch server must answer where the live one will
    // (the replay's and the verification's connections dial database.host), not where
    // production's postgresql.conf, restored with the base backup, says: on a new machine
    // production's addresses and socket directory do not exist (issue 17).
    for (String s : reachSettings(req.database().recovery() == null ? List.of()
        : req.database().recovery().serverSettings())) {
      int eq = s.indexOf('=');
      o.add("-c " + s.substring(0, eq).strip() + "='" + sh(s.substring(eq + 1).strip()) + "'");
    }
    RecoveryTarget t = req.target();
    if (!withTarget) return o;
    if (RecoveryTarget.TIME.equals(t.mode())) {
      o.add("-c recovery_target_time='" + pgTime(t.time()) + "'");
    } else if (RecoveryTarget.LSN.equals(t.mode())) {
      o.add("-c recovery_target_lsn='" + sh(t.lsn()) + "'");
    } else if (RecoveryTarget.POINT.equals(t.mode())) {
      o.add("-c recovery_target_name='" + sh(t.point()) + "'");
    }
    return o;
  }

  /** The settings of {@code settings} that say where the server listens (address, socket). */
  static List<String> reachSettings(List<String> settings) {
    return settings.stream().filter(s -> {
      String name = s.substring(0, Math.max(0, s.indexOf('='))).strip();
      return name.equals("listen_addresses") || name.equals("unix_socket_directories");
    }).toList();
  }

  /** PostgreSQL's timestamptz input does not take ISO's T and Z: 2026-11-21 09:14:00.5+00. */
  static String pgTime(String isoInstant) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(isoInstant));
  }

  /** pg_ctl passes -o through sh: values go inside single quotes and must not hold one. */
  private static String sh(String s) {
    if (s.contains("'")) {
      throw FailureKind.CONFIG_INVALID.failure("a recovery path or target contains a quote: " + s);
    }
    return s;
  }

  /**
   * recovery.serverSettings into postgresql.auto.conf (where ALTER SYSTEM writes, so they
   * survive restarts), each line once: a retry after a crash does not repeat them.
   */
  static void applySettings(ClusterControl control, Path data, List<String> settings) {
    if (settings.isEmpty()) return;
    Path auto = data.resolve("postgresql.auto.conf");
    try {
      String text = Files.exists(auto) ? Files.readString(auto) : "";
      String add = autoConfAddition(text, settings);
      if (add.isEmpty()) return;
      Files.writeString(auto, add, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      control.own(auto);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot write " + auto + ": " + e.getMessage());
    }
  }

  /**
   * What {@link #applySettings} appends to a postgresql.auto.conf that holds {@code existing}:
   * each setting as {@code name = 'value'} unless that line is already there, under a comment,
   * after a newline when the file does not end in one; empty when nothing is missing.
   */
  static String autoConfAddition(String existing, List<String> settings) {
    StringBuilder add = new StringBuilder();
    for (String s : settings) {
      int eq = s.indexOf('=');
      String line = s.substring(0, eq).strip() + " = '" + s.substring(eq + 1).strip() + "'";
      if (!existing.lines().anyMatch(l -> l.strip().equals(line))) add.append(line).append('\n');
    }
    if (add.length() == 0) return "";
    return (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n")
        + "# lifeboat recovery: databases[].recovery.serverSettings\n" + add;
  }
}
