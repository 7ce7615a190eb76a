package io.lifeboat.backup.files;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real sshd of the test's own on 127.0.0.1 and a free port: its own host key, one client key
 * authorized, a known_hosts that pins the host key and an ssh client config naming both (what
 * {@code files[].repositorySshConfig} points at). The user's ~/.ssh is never read or written.
 * Closing kills the sshd this started (and only it).
 */
final class LoopbackSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  final Path dir;
  final int port;
  /** ssh -F: Port, IdentityFile, UserKnownHostsFile (pinned key). */
  final Path sshConfig;
  /** The same, with an empty known_hosts: the host key is unknown. */
  final Path sshConfigUnknownHost;
  private Process sshd;

  static boolean available() {
    return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
        && Files.isExecutable(Path.of("/usr/bin/ssh"));
  }

  LoopbackSshd(Path dir) throws Exception {
    this.dir = dir;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lifeboat-test-host", "-f",
        dir.resolve("host_key").toString());
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lifeboat-test-client", "-f",
        dir.resolve("client_key").toString());
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    String hostKey = Files.readString(dir.resolve("host_key.pub")).strip();
    String[] parts = hostKey.split(" ");
    Files.writeString(dir.resolve("known_hosts"),
        "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
    Files.writeString(dir.resolve("known_hosts_empty"), "");
    sshConfig = writeConfig("ssh_config", dir.resolve("known_hosts"));
    sshConfigUnknownHost = writeConfig("ssh_config_unknown", dir.resolve("known_hosts_empty"));
    Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
    start();
  }

  private Path writeConfig(String name, Path knownHosts) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "Host *\n  Port " + port + "\n  IdentityFile "
        + dir.resolve("client_key") + "\n  IdentitiesOnly yes\n  UserKnownHostsFile "
        + knownHosts + "\n  GlobalKnownHostsFile /dev/null\n");
    return p;
  }

  /** (Re)starts sshd in the foreground (-D), so the Process is sshd itself. */
  void start() throws Exception {
    sshd = new ProcessBuilder(SSHD.toString(), "-D", "-f", "/dev/null",
        "-h", dir.resolve("host_key").toString(), "-o", "ListenAddress=127.0.0.1:" + port,
        "-o", "PidFile=none", "-o", "AuthorizedKeysFile=" + dir.resolve("authorized_keys"),
        "-o", "StrictModes=no", "-o", "PasswordAuthentication=no",
        "-o", "KbdInteractiveAuthentication=no", "-o", "UsePAM=no",
        "-o", "PermitRootLogin=prohibit-password", "-E", dir.resolve("sshd.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!sshd.isAlive()) break;
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("sshd did not listen on 127.0.0.1:" + port + ": "
        + Files.readString(dir.resolve("sshd.out")));
  }

  /** The processes sshd started for its sessions (a borg serve among them). */
  java.util.stream.Stream<ProcessHandle> sessions() {
    return sshd == null ? java.util.stream.Stream.empty() : sshd.toHandle().descendants();
  }

  /** sshd is gone: the port refuses connections. */
  void stop() throws InterruptedException {
    if (sshd != null) {
      sshd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      sshd = null;
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
