package io.lifeboat.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Bacula 9.6 Director, Storage and File daemon for one test: configs with absolute paths
 * under {@code dir}, free loopback ports picked now, a sqlite3 catalog made with the package's
 * own table script, a file-based storage device, one backup Job ({@code tree}) of {@code tree}.
 * Stopped by {@link #close}.
 */
final class BaculaDaemons implements AutoCloseable {
  static final String JOB = "tree";
  static final String CLIENT = "lb-fd";
  final Path dir;
  final Path bconsoleConfig;
  final int dirPort;
  final int sdPort;
  final int fdPort;
  private final List<Process> processes = new ArrayList<>();
  private Process fd;

  private BaculaDaemons(Path dir, int dirPort, int sdPort, int fdPort) {
    this.dir = dir;
    this.bconsoleConfig = dir.resolve("bconsole.conf");
    this.dirPort = dirPort;
    this.sdPort = sdPort;
    this.fdPort = fdPort;
  }

  static BaculaDaemons start(Path dir, Path tree) throws Exception {
    Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("storage"));
    BaculaDaemons b = new BaculaDaemons(dir, freePort(), freePort(), freePort());
    b.write(tree);
    String tables = Files.readString(Path.of("/usr/share/bacula-director/make_sqlite3_tables"))
        .replace("cd /var/lib/bacula", "cd '" + dir.resolve("work") + "'")
        .replace("XXX_DBNAME_XXX", "bacula");
    Files.writeString(dir.resolve("make_tables.sh"), tables);
    b.exec(List.of("sh", dir.resolve("make_tables.sh").toString()));
    b.exec(List.of("bacula-dir", "-t", "-c", dir.resolve("dir.conf").toString()));
    b.processes.add(b.daemon("bacula-sd", "sd"));
    b.startFd();
    b.processes.add(b.daemon("bacula-dir", "dir"));
    b.awaitPort(b.sdPort);
    b.awaitPort(b.fdPort);
    b.awaitPort(b.dirPort);
    return b;
  }

  void startFd() throws Exception {
    fd = daemon("bacula-fd", "fd");
    processes.add(fd);
    awaitPort(fdPort);
  }

  /** The File daemon stops: the next job cannot reach its client. */
  void stopFd() throws Exception {
    fd.destroy();
    if (!fd.waitFor(60, TimeUnit.SECONDS)) fd.destroyForcibly().waitFor();
  }

  /** bconsole with these commands; its output. */
  String console(String... commands) throws Exception {
    Process p = new ProcessBuilder("bconsole", "-c", bconsoleConfig.toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().write((String.join("\n", commands) + "\nquit\n")
        .getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    return out;
  }

  /** One field of {@code llist jobid=N}. */
  String field(long jobId, String name) throws Exception {
    for (String line : console("llist jobid=" + jobId).split("\n")) {
      String t = line.strip();
      if (t.startsWith(name + ":")) return t.substring(name.length() + 1).strip();
    }
    return null;
  }

  private Process daemon(String exe, String name) throws IOException {
    return new ProcessBuilder(exe, "-f", "-c", dir.resolve(name + ".conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile()).start();
  }

  private void exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException(command + " failed: " + out);
  }

  private void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a Bacula daemon does not listen on " + port + ": "
              + Files.readString(dir.resolve("dir.out")) + Files.readString(dir.resolve("sd.out"))
              + Files.readString(dir.resolve("fd.out")));
        }
        Thread.sleep(200);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void write(Path tree) throws IOException {
    String d = dir.toString();
    Files.writeString(dir.resolve("dir.conf"), """
        Director {
          Name = lb-dir
          DIRport = %d
          DirAddress = 127.0.0.1
          QueryFile = "/etc/bacula/scripts/query.sql"
          WorkingDirectory = "%s/work"
          PidDirectory = "%s/run"
          Maximum Concurrent Jobs = 5
          Password = "it-dir-pass"
          Messages = Daemon
          FD Connect Timeout = 5 sec
        }
        Catalog {
          Name = MyCatalog
          dbname = "bacula"; dbuser = ""; dbpassword = ""
        }
        Client {
          Name = lb-fd
          Address = 127.0.0.1
          FDPort = %d
          Catalog = MyCatalog
          Password = "it-fd-pass"
        }
        Storage {
          Name = File1
          Address = 127.0.0.1
          SDPort = %d
          Password = "it-sd-pass"
          Device = FileDev
          Media Type = File
        }
        Pool {
          Name = Default
          Pool Type = Backup
          Label Format = "Vol-"
          Maximum Volume Jobs = 100
        }
        FileSet {
          Name = TreeSet
          Include {
            Options { signature = MD5 }
            File = "%s"
          }
        }
        Job {
          Name = tree
          Type = Backup
          Level = Full
          Client = lb-fd
          FileSet = TreeSet
          Storage = File1
          Pool = Default
          Messages = Standard
        }
        Job {
          Name = RestoreFiles
          Type = Restore
          Client = lb-fd
          FileSet = TreeSet
          Storage = File1
          Pool = Default
          Messages = Standard
          Where = "%s/restore-default"
        }
        Messages {
          Name = Standard
          console = all, !skipped, !saved
          catalog = all
          append = "%s/work/log" = all, !skipped
        }
        Messages {
          Name = Daemon
          console = all, !skipped, !saved
          append = "%s/work/log" = all, !skipped
        }
        """.formatted(dirPort, d, d, fdPort, sdPort, tree, d, d, d));
    Files.writeString(dir.resolve("sd.conf"), """
        Storage {
          Name = lb-sd
          SDPort = %d
          SDAddress = 127.0.0.1
          WorkingDirectory = "%s/work"
          Pid Directory = "%s/run"
        }
        Director {
          Name = lb-dir
          Password = "it-sd-pass"
        }
        Device {
          Name = FileDev
          Media Type = File
          Archive Device = "%s/storage"
          LabelMedia = yes
          Random Access = yes
          AutomaticMount = yes
          RemovableMedia = no
          AlwaysOpen = no
        }
        Messages {
          Name = Standard
          director = lb-dir = all
        }
        """.formatted(sdPort, d, d, d));
    Files.writeString(dir.resolve("fd.conf"), """
        FileDaemon {
          Name = lb-fd
          FDport = %d
          FDAddress = 127.0.0.1
          WorkingDirectory = "%s/work"
          Pid Directory = "%s/run"
        }
        Director {
          Name = lb-dir
          Password = "it-fd-pass"
        }
        Messages {
          Name = Standard
          director = lb-dir = all, !skipped, !restored
        }
        """.formatted(fdPort, d, d));
    Files.writeString(bconsoleConfig, """
        Director {
          Name = lb-dir
          DIRport = %d
          address = 127.0.0.1
          Password = "it-dir-pass"
        }
        """.formatted(dirPort));
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) p.destroy();
    for (Process p : processes) {
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
  }
}
