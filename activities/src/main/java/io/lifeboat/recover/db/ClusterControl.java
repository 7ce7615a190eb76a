package io.lifeboat.recover.db;

import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.Tools;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the server tools (pg_ctl, tar) as the OS user that owns the cluster: the worker may run
 * as root (then {@code runuser}), or as that user itself. Never through a shell.
 */
final class ClusterControl {
  private final String osUser;
  private final Path binDir;

  ClusterControl(String osUser, String binDir, PgTools pg) {
    this.osUser = osUser;
    this.binDir = binDir != null ? Path.of(binDir) : Path.of(pg.tool("pg_ctl")).getParent();
  }

  String tool(String name) {
    return binDir == null ? name : binDir.resolve(name).toString();
  }

  /** argv as the cluster user. */
  List<String> asUser(List<String> argv) {
    String me = System.getProperty("user.name");
    if (osUser.equals(me)) return argv;
    List<String> out = new ArrayList<>(List.of("runuser", "-u", osUser, "--"));
    out.addAll(argv);
    return out;
  }

  Tools.Result run(List<String> argv, Duration timeout) {
    try {
      return Tools.run(asUser(argv), Map.of(), timeout, null);
    } catch (IOException e) {
      throw FailureKind.CLUSTER_CONTROL_FAILED.failure("cannot run " + argv.get(0) + " as "
          + osUser + ": " + e.getMessage());
    }
  }

  Tools.Result runChecked(List<String> argv, Duration timeout, String what) {
    Tools.Result r = run(argv, timeout);
    if (r.exit() != 0) {
      // The last two lines: pg_ctl says the cause on the line before its verdict (e.g. "could
      // not identify current directory" before "program postgres is needed by pg_ctl").
      throw FailureKind.CLUSTER_CONTROL_FAILED.failure(what + " failed (exit " + r.exit() + "): "
          + lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr(), 2));
    }
    return r;
  }

  /** pg_ctl status: true when a postmaster runs on this directory. */
  boolean running(Path dataDir) {
    if (!Files.exists(dataDir.resolve("postmaster.pid"))) return false;
    return run(List.of(tool("pg_ctl"), "status", "-D", dataDir.toString()),
        Duration.ofSeconds(30)).exit() == 0;
  }

  void start(Path dataDir, int port, Path logFile, List<String> extraOptions) {
    StringBuilder opts = new StringBuilder("-p " + port);
    for (String o : extraOptions) opts.append(' ').append(o);
    // -W: do not wait; callers wait for what they need (replay can take hours).
    runChecked(List.of(tool("pg_ctl"), "start", "-W", "-D", dataDir.toString(), "-l",
        logFile.toString(), "-o", opts.toString()), Duration.ofMinutes(2),
        "pg_ctl start of " + dataDir);
    // -W returns before the postmaster wrote its pid file: wait for it, so that callers can
    // tell "still starting" from "died" (a server that dies at once never writes it for long).
    for (int i = 0; i < 300 && !Files.exists(dataDir.resolve("postmaster.pid")); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Fast stop, immediate if fast does not finish; nothing when nothing runs. */
  void stop(Path dataDir) {
    if (!running(dataDir)) return;
    Tools.Result r = run(List.of(tool("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "fast",
        "-w", "-t", "120"), Duration.ofMinutes(3));
    if (r.exit() != 0 && running(dataDir)) {
      runChecked(List.of(tool("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "immediate",
          "-w", "-t", "60"), Duration.ofMinutes(2), "pg_ctl stop -m immediate of " + dataDir);
    }
  }

  /** Makes a file or directory the cluster user's (the worker may have written it as root). */
  void own(Path path) {
    try {
      UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      view.setOwner(users.lookupPrincipalByName(osUser));
      view.setGroup(users.lookupPrincipalByGroupName(osUser));
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot give " + path + " to " + osUser + ": " + e);
    }
  }

  String osUser() {
    return osUser;
  }

  /** Up to {@code n} last non-blank lines, joined with " / ", each clipped like lastLine. */
  static String lastLines(String s, int n) {
    if (s == null || s.isBlank()) return "no message";
    java.util.List<String> lines = s.strip().lines().map(String::strip)
        .filter(l -> !l.isEmpty()).toList();
    return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()).stream()
        .map(ClusterControl::lastLine).toList());
  }

  static String lastLine(String s) {
    if (s == null || s.isBlank()) return "no message";
    String[] lines = s.strip().split("\n");
    String l = lines[lines.length - 1].strip();
    return l.length() > 300 ? l.substring(0, 300) + "…" : l;
  }
}
