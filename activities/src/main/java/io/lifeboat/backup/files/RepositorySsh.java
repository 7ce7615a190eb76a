package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ssh connection to a files source's repository host ({@code files[].repositoryHost}): the
 * client command borg ({@code BORG_RSH}) and rsync ({@code -e}) run, and the one line a failed
 * connection becomes.
 *
 * <p>Always {@code BatchMode=yes} (a password or passphrase prompt fails instead of hanging an
 * agent that has no terminal) and {@code StrictHostKeyChecking=yes} (an unknown or changed host
 * key fails: Lifeboat never accepts a key on the operator's behalf). Options on the command line
 * win over any config file, so {@code repositorySshConfig} cannot turn either off. The key and
 * known_hosts are the agent user's own ({@code ~/.ssh}) unless that file names others.
 *
 * <p>ssh's own error (connection refused, host key verification failed) is often lost behind
 * borg's "Connection closed by remote host": after a failure that looks like the connection's,
 * {@link #probe} asks ssh alone, and its line becomes the failure's.
 */
final class RepositorySsh {
  /** How long a connection attempt may take before ssh gives up. */
  static final int CONNECT_TIMEOUT_SECONDS = 15;

  private final FilesConfig f;
  private final String address;

  RepositorySsh(FilesConfig f, String address) {
    this.f = f;
    this.address = address;
  }

  /** The connection of {@code f}, or null when its repository is on the source's host. */
  static RepositorySsh of(FilesConfig f, String address) {
    if (!f.remoteRepository()) return null;
    if (address == null) {
      throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": repositoryHost "
          + f.repositoryHost() + " has no address (hosts:); start the backup again with a"
          + " config that has it");
    }
    return new RepositorySsh(f, address);
  }

  String host() {
    return f.repositoryHost();
  }

  String address() {
    return address;
  }

  /** {@code [USER@]ADDRESS} as ssh takes it. */
  String destination() {
    return (f.repositoryUser() == null ? "" : f.repositoryUser() + "@") + address;
  }

  /** borg's repository: {@code ssh://[USER@]ADDRESS/PATH} (an IPv6 address in brackets). */
  String borgUrl() {
    String h = address.contains(":") ? "[" + address + "]" : address;
    return "ssh://" + (f.repositoryUser() == null ? "" : f.repositoryUser() + "@") + h
        + f.repositoryPath();
  }

  /** rsync's remote path: {@code [USER@]ADDRESS:PATH} (an IPv6 address in brackets). */
  String rsyncPath(String path) {
    String h = address.contains(":") ? "[" + address + "]" : address;
    return (f.repositoryUser() == null ? "" : f.repositoryUser() + "@") + h + ":" + path;
  }

  /** The ssh client with its options, without the destination. */
  List<String> command() {
    List<String> c = new ArrayList<>(List.of("ssh"));
    if (f.repositorySshConfig() != null) c.addAll(List.of("-F", f.repositorySshConfig()));
    c.addAll(List.of("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
        "-o", "ConnectTimeout=" + CONNECT_TIMEOUT_SECONDS,
        // A host that vanishes mid-transfer ends the run in about a minute instead of hanging.
        "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"));
    return c;
  }

  /**
   * {@link #command} as one string, for BORG_RSH and rsync's -e (both split it on blanks; the
   * config's rules keep blanks and quotes out of every part).
   */
  String rsh() {
    return String.join(" ", command());
  }

  /**
   * Whether {@code o} (a failed borg or rsync run) looks like the connection's failure: borg's
   * "Connection closed by remote host", rsync's exit 255 or "connection unexpectedly closed",
   * ssh's own lines.
   */
  static boolean looksLikeConnection(Restic.Output o) {
    String all = (o.stderr() + "\n" + String.join("\n", o.stdout())).toLowerCase(Locale.ROOT);
    return o.exit() == 255 || all.contains("connection closed by remote host")
        || all.contains("connection unexpectedly closed") || all.contains("host key verification")
        || all.contains("permission denied (") || all.contains("connection refused")
        || all.contains("no route to host") || all.contains("connection timed out")
        || all.contains("could not resolve hostname") || all.contains("error in rsync protocol"
            + " data stream") || all.contains("is borg working on the server");
  }

  /**
   * Asks ssh alone to connect and run {@code true}: null when it can, else the typed failure
   * naming what ssh said (one line). A forced command in authorized_keys ({@code borg serve
   * --restrict-to-path ...}) runs instead of {@code true}, reads the empty stdin and ends: the
   * connection still counts as working.
   */
  ApplicationFailure probe(String what) {
    List<String> cmd = new ArrayList<>(command());
    cmd.addAll(List.of(destination(), "true"));
    Restic.Output o;
    try {
      o = EngineProcess.run("ssh", cmd, Map.of(), List.of(), null, l -> { }, null);
    } catch (RuntimeException e) {
      return FailureKind.FILES_ENGINE_FAILED.failure(what + ": " + e.getMessage());
    }
    if (o.exit() != 255) return null;
    return failure(what, o.lastLine());
  }

  /** ssh's line {@code said} as the failure of {@code what}: refused to log in, or unreachable. */
  ApplicationFailure failure(String what, String said) {
    String msg = what + " for files source " + f.name() + ": ssh to repository host "
        + f.repositoryHost() + " (" + destination() + ") failed: " + said;
    String lower = said.toLowerCase(Locale.ROOT);
    boolean refused = lower.contains("host key") || lower.contains("permission denied")
        || lower.contains("identification has changed") || lower.contains("too many"
            + " authentication failures") || lower.contains("no such file") // the -F file
        || lower.contains("bad configuration") || lower.contains("can't open user config");
    return (refused ? FailureKind.FILES_REPOSITORY_SSH_REFUSED
        : FailureKind.FILES_REPOSITORY_UNREACHABLE).failure(msg);
  }
}
