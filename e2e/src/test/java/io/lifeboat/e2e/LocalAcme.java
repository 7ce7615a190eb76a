package io.lifeboat.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local ACME certificate authority for a server recovery's TLS step: pebble, with
 * pebble-challtestsrv as its DNS (names without a record resolve to 127.0.0.1, so a
 * certificate is only issued once the test pointed the domain at the target). pebble checks
 * HTTP-01 on {@link #httpPort} of whatever address the DNS names: the target's nginx port.
 *
 * <p>{@link #shared()} describes the one `./lifeboat up` runs (launcher/acme.bash, fixed ports,
 * HTTP-01 on 8080); {@link #start} runs a private one on free ports, as the launcher does but
 * with a throwaway CA of its own, for a suite that must not share the stack's (the fault suite
 * runs beside it, or after `down`).
 */
final class LocalAcme implements AutoCloseable {
  final String directory;
  final String rootUrl;
  final String dnsManagement;
  final Path ca;
  final int httpPort;
  private final List<Process> processes;

  private LocalAcme(String directory, String rootUrl, String dnsManagement, Path ca, int httpPort,
      List<Process> processes) {
    this.directory = directory;
    this.rootUrl = rootUrl;
    this.dnsManagement = dnsManagement;
    this.ca = ca;
    this.httpPort = httpPort;
    this.processes = processes;
  }

  /** The stack's ACME server (started by `./lifeboat up`, or `./lifeboat acme start`). */
  static LocalAcme shared() {
    String env = System.getenv("LIFEBOAT_ACME_CA");
    Path ca = env != null && !env.isBlank() ? Path.of(env)
        : Path.of("../.lifeboat/acme/ca.pem").toAbsolutePath().normalize();
    return new LocalAcme("https://127.0.0.1:14000/dir", "https://127.0.0.1:15000/roots/0",
        "http://127.0.0.1:8055", ca, 8080, List.of());
  }

  /** pebble + challtestsrv of its own in {@code dir}, all on free ports. */
  static LocalAcme start(Path dir) throws Exception {
    Files.createDirectories(dir);
    certificates(dir);
    int acmePort = ArchivingCluster.freePort();
    int mgmtPort = ArchivingCluster.freePort();
    int dnsPort = ArchivingCluster.freePort();
    int dnsMgmtPort = ArchivingCluster.freePort();
    int httpPort = ArchivingCluster.freePort();
    int tlsPort = ArchivingCluster.freePort();
    Files.writeString(dir.resolve("pebble.json"), """
        {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
          "ocspResponderURL": "", "externalAccountBindingRequired": false}}
        """.formatted(acmePort, mgmtPort, dir.resolve("cert.pem"), dir.resolve("key.pem"),
        httpPort, tlsPort));
    List<Process> started = new java.util.ArrayList<>();
    try {
      Process dns = spawn(dir, "challtestsrv", List.of("pebble-challtestsrv", "-dns01",
          "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + dnsMgmtPort, "-http01", "",
          "-https01", "", "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""));
      started.add(dns);
      awaitPort(dns, dnsMgmtPort, dir.resolve("challtestsrv.log"));
      Process pebble = spawn(dir, "pebble", List.of("pebble", "-config",
          dir.resolve("pebble.json").toString(), "-dnsserver", "127.0.0.1:" + dnsPort));
      started.add(pebble);
      awaitPort(pebble, acmePort, dir.resolve("pebble.log"));
    } catch (Exception e) {
      for (Process p : started) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw e;
    }
    return new LocalAcme("https://127.0.0.1:" + acmePort + "/dir",
        "https://127.0.0.1:" + mgmtPort + "/roots/0", "http://127.0.0.1:" + dnsMgmtPort,
        dir.resolve("ca.pem"), httpPort, List.copyOf(started));
  }

  /** pebble's own TLS: a throwaway CA (what certbot trusts) and a leaf for 127.0.0.1. */
  private static void certificates(Path dir) throws Exception {
    String d = dir.toString();
    ArchivingCluster.sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
        "30", "-subj", "/CN=lifeboat fault suite ACME CA", "-keyout", d + "/ca.key", "-out",
        d + "/ca.pem");
    ArchivingCluster.sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj",
        "/CN=localhost", "-keyout", d + "/key.pem", "-out", d + "/leaf.csr");
    Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
        + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    ArchivingCluster.sh("openssl", "x509", "-req", "-in", d + "/leaf.csr", "-CA", d + "/ca.pem",
        "-CAkey", d + "/ca.key", "-CAcreateserial", "-days", "30", "-extfile", d + "/leaf.ext",
        "-out", d + "/cert.pem");
    // certbot runs as root in the worker; the CA bundle must be readable by whoever reads it.
    ArchivingCluster.sh("chmod", "644", d + "/ca.pem");
  }

  private static Process spawn(Path dir, String name, List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    // As the launcher runs it: no random validation delay, no bad-nonce rejections.
    pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
    pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
    return pb.start();
  }

  private static void awaitPort(Process p, int port, Path log) throws Exception {
    for (int i = 0; ; i++) {
      if (!p.isAlive()) {
        throw new IllegalStateException(log.getFileName() + ": exited while starting: "
            + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (i > 300) throw new IllegalStateException(log + ": port " + port + " never opened");
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
