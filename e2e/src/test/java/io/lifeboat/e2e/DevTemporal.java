package io.lifeboat.e2e;

import io.lifeboat.run.LifeboatSearchAttributes;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal service of a test's own: `temporal server start-dev` on the given loopback port,
 * headless, with its own database file and the search attributes Lifeboat uses, ready once it
 * lists them. {@link #lose()} kills it (SIGKILL) and deletes its database file: what a site's
 * loss does to it. A second one may then start on the same port, empty.
 */
final class DevTemporal implements AutoCloseable {
  final int port;
  final String address;
  private final Path dbFile;
  private final Path log;
  private final Process process;

  DevTemporal(int port, Path dir, String name) throws Exception {
    this.port = port;
    this.address = "127.0.0.1:" + port;
    Files.createDirectories(dir);
    dbFile = dir.resolve(name + ".db");
    log = dir.resolve(name + ".log");
    List<String> argv = new ArrayList<>(List.of(RealStack.temporalCli(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", String.valueOf(port), "--headless",
        "--db-filename", dbFile.toString(), "--namespace", "default", "--log-level", "warn"));
    for (var key : LifeboatSearchAttributes.ALL) {
      argv.addAll(List.of("--search-attribute", key.getName() + "=Keyword"));
    }
    process = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    awaitReady();
  }

  private void awaitReady() throws Exception {
    for (int i = 0; ; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("temporal exited while starting: " + Files.readString(log));
      }
      boolean open;
      try (Socket s = new Socket("127.0.0.1", port)) {
        open = true;
      } catch (java.io.IOException notYet) {
        open = false;
      }
      if (open) {
        String list = "";
        try {
          list = ArchivingCluster.sh(RealStack.temporalCli(), "operator", "search-attribute",
              "list", "--address", address, "--namespace", "default");
        } catch (IllegalStateException notYet) {
          // not serving yet
        }
        String l = list;
        if (LifeboatSearchAttributes.ALL.stream().allMatch(k -> l.contains(k.getName()))) return;
      }
      if (i > 900) {
        throw new IllegalStateException("temporal on " + address + " never listed the search"
            + " attributes: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  /** Killed (SIGKILL) and its database file deleted. */
  void lose() throws Exception {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    for (String suffix : List.of("", "-shm", "-wal", "-journal")) {
      Files.deleteIfExists(Path.of(dbFile + suffix));
    }
  }

  @Override
  public void close() throws Exception {
    lose();
  }
}
