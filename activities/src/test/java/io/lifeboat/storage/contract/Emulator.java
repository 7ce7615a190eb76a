package io.lifeboat.storage.contract;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cloud-storage emulator run by a test: fake-gcs-server (Google Cloud Storage) or Azurite
 * (Azure Blob), on a free loopback port with its own data directory, stopped by {@link #close}.
 *
 * <p>The binary is found, in order: the variable LIFEBOAT_FAKE_GCS_BIN / LIFEBOAT_AZURITE_BIN
 * (the launcher's ensure_test_tools exports them), .lifeboat/tools of the checkout, or
 * ~/.cache/lifeboat/test-tools, where it is installed on first use (go install / npm install).
 * When none of these works, {@link #unavailable} says why and the tests using it are skipped.
 */
final class Emulator implements AutoCloseable {
  static final String FAKE_GCS_VERSION = "v1.56.1";
  static final String AZURITE_VERSION = "3.37.0";

  final int port;
  final Path dataDir;
  private final Process process;
  private final Path log;

  private Emulator(int port, Path dataDir, Process process, Path log) {
    this.port = port;
    this.dataDir = dataDir;
    this.process = process;
    this.log = log;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  static Emulator fakeGcs() throws Exception {
    Path bin = tool("LIFEBOAT_FAKE_GCS_BIN", "fake-gcs-server-" + FAKE_GCS_VERSION,
        Emulator::installFakeGcs);
    int port = freePort();
    Path data = Files.createTempDirectory("lifeboat-fake-gcs");
    Files.createDirectories(data.resolve("root"));
    Emulator e = start(data, List.of(bin.toString(), "-scheme", "http", "-host", "127.0.0.1",
        "-port", String.valueOf(port), "-backend", "filesystem", "-filesystem-root",
        data.resolve("root").toString(), "-public-host", "127.0.0.1:" + port,
        "-external-url", "http://127.0.0.1:" + port, "-log-level", "warn"), port);
    e.awaitHttp("/storage/v1/b");
    return e;
  }

  static Emulator azurite() throws Exception {
    Path bin = tool("LIFEBOAT_AZURITE_BIN", "azurite-" + AZURITE_VERSION
        + "/node_modules/.bin/azurite-blob", Emulator::installAzurite);
    int port = freePort();
    Path data = Files.createTempDirectory("lifeboat-azurite");
    Emulator e = start(data, List.of(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort",
        String.valueOf(port), "--location", data.resolve("blob").toString(), "--silent"), port);
    e.awaitHttp("/devstoreaccount1?comp=list");
    return e;
  }

  /** Why a tool cannot be had, thrown so that the caller can skip with the reason. */
  static final class Unavailable extends Exception {
    Unavailable(String why) {
      super(why);
    }
  }

  private interface Installer {
    Path install(Path toolsDir) throws Exception;
  }

  private static Path tool(String env, String name, Installer installer) throws Exception {
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      if (Files.isExecutable(Path.of(fromEnv))) return Path.of(fromEnv);
      throw new Unavailable(env + "=" + fromEnv + " is not an executable file");
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(".lifeboat/tools").resolve(name);
      if (Files.isExecutable(p)) return p;
    }
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "lifeboat", "test-tools");
    Path p = cache.resolve(name);
    if (Files.isExecutable(p)) return p;
    Files.createDirectories(cache);
    synchronized (Emulator.class) {
      if (!Files.isExecutable(p)) installer.install(cache);
    }
    if (!Files.isExecutable(p)) throw new Unavailable(p + " missing after installing it");
    return p;
  }

  private static Path installFakeGcs(Path tools) throws Exception {
    Path tmp = Files.createTempDirectory(tools, "fake-gcs-build");
    try {
      run(tools, List.of("go", "install", "github.com/fsouza/fake-gcs-server@" + FAKE_GCS_VERSION),
          "GOBIN", tmp.toString(), "go install fake-gcs-server " + FAKE_GCS_VERSION);
      Path target = tools.resolve("fake-gcs-server-" + FAKE_GCS_VERSION);
      Files.move(tmp.resolve("fake-gcs-server"), target);
      return target;
    } finally {
      deleteTree(tmp);
    }
  }

  private static Path installAzurite(Path tools) throws Exception {
    Path dir = tools.resolve("azurite-" + AZURITE_VERSION);
    Files.createDirectories(dir);
    run(dir, List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(),
        "azurite@" + AZURITE_VERSION), null, null, "npm install azurite@" + AZURITE_VERSION);
    return dir.resolve("node_modules/.bin/azurite-blob");
  }

  private static void run(Path dir, List<String> cmd, String envKey, String envValue,
      String what) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    if (envKey != null) pb.environment().put(envKey, envValue);
    Path out = Files.createTempFile("lifeboat-tool-install", ".log");
    pb.redirectOutput(out.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new Unavailable(what + ": " + cmd.get(0) + " is not installed");
    }
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new Unavailable(what + " failed: " + tail(out));
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  private static Emulator start(Path data, List<String> cmd, int port) throws IOException {
    Path log = data.resolve("emulator.log");
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).directory(data.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Emulator(port, data, p, log);
  }

  private void awaitHttp(String path) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("emulator exited (" + process.exitValue() + "): "
            + tail(log));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL()
            .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (c.getResponseCode() > 0) return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("emulator not answering on " + url() + ": " + tail(log));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    // Azurite waits for clients' idle keep-alive connections before it exits: its data
    // directory is thrown away, so after a grace period it is killed.
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    for (ProcessHandle c : children) {
      if (!c.onExit().isDone()) c.destroyForcibly();
      c.onExit().get(60, TimeUnit.SECONDS);
    }
    deleteTree(dataDir);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
