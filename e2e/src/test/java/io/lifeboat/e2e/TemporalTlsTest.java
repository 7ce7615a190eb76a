package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import io.lifeboat.config.TemporalConfig;
import io.lifeboat.worker.TemporalConnection;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * temporal.tls against a real Temporal. The dev server has no TLS flags, so a TLS terminator
 * that demands a client certificate (what a load balancer in front of a production cluster
 * does) sits before it, with certificates from a throwaway CA made by openssl. The right CA and
 * client certificate connect, the CLI included; no client certificate, or a server checked
 * against another CA, is refused.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class TemporalTlsTest {
  private RealStack stack;
  private Path pki;
  private TlsTerminator terminator;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    pki = Files.createDirectories(stack.dir.resolve("pki"));
    ca("ca");
    ca("other-ca");
    leaf("server", "ca", "serverAuth", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    leaf("client", "ca", "clientAuth", null);
    openssl("pkcs12", "-export", "-in", p("server.pem"), "-inkey", p("server.key"),
        "-out", p("server.p12"), "-passout", "pass:test");
    String[] backend = stack.base.temporal().address().split(":");
    terminator = new TlsTerminator(serverContext(), backend[0], Integer.parseInt(backend[1]));
  }

  @AfterEach
  void down() throws Exception {
    if (terminator != null) terminator.close();
    stack.close();
  }

  @Test
  void mutualTlsConnectsAndAnythingLessIsRefused() throws Exception {
    String address = "127.0.0.1:" + terminator.port();
    TemporalConfig.TlsConfig mtls = new TemporalConfig.TlsConfig(p("ca.pem"), p("client.pem"),
        p("client.key"), "localhost");
    try (TemporalConnection c = TemporalConnection.open(config(address, mtls))) {
      var info = c.client().getWorkflowServiceStubs().blockingStub()
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      assertTrue(info.hasCapabilities(), "a real answer from Temporal through TLS");
    }

    // The CLI with the same settings in its config file: a real backup, started and followed
    // to its summary over mTLS (the test's worker polls over the plain address).
    String db = stack.createDatabase("tls", 50);
    Path cfg = stack.config("tls", root -> {
      RealStack.addDatabase(root, db);
      root.with("temporal").put("address", address).putObject("tls").put("caFile", p("ca.pem"))
          .put("certFile", p("client.pem")).put("keyFile", p("client.key"))
          .put("serverName", "localhost");
    });
    stack.startWorker();
    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", cfg.toString());
    assertEquals(0, backup.exit(), backup.out() + backup.err());
    assertTrue(backup.out().contains("is committed"), backup.out());

    // Server-verified TLS only: the terminator wants a client certificate.
    assertRefused(address, new TemporalConfig.TlsConfig(p("ca.pem"), null, null, "localhost"));
    // A server certificate from a CA we do not trust.
    assertRefused(address, new TemporalConfig.TlsConfig(p("other-ca.pem"), p("client.pem"),
        p("client.key"), "localhost"));
    Path noCert = stack.config("tls-no-cert", root -> {
      RealStack.addDatabase(root, db);
      root.with("temporal").put("address", address).putObject("tls").put("caFile", p("ca.pem"))
          .put("serverName", "localhost");
    });
    RealStack.Run refused = stack.cli("backup", "db", db, "--config", noCert.toString());
    assertEquals(3, refused.exit(), refused.out() + refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
  }

  private static void assertRefused(String address, TemporalConfig.TlsConfig tls) {
    try (TemporalConnection c = TemporalConnection.open(config(address, tls))) {
      assertThrows(StatusRuntimeException.class, () -> c.client().getWorkflowServiceStubs()
          .blockingStub().withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
    }
  }

  private static TemporalConfig config(String address, TemporalConfig.TlsConfig tls) {
    return new TemporalConfig(address, "default", "tls-test", null, tls, null);
  }

  private String p(String name) {
    return pki.resolve(name).toString();
  }

  private void ca(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p(name + ".key"),
        "-out", p(name + ".pem"), "-days", "2", "-subj", "/CN=lifeboat test " + name);
  }

  private void leaf(String name, String ca, String usage, String san) throws Exception {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p(name + ".key"), "-out",
        p(name + ".csr"), "-subj", "/CN=" + ("server".equals(name) ? "localhost" : "lifeboat"));
    Path ext = pki.resolve(name + ".ext");
    Files.writeString(ext, "extendedKeyUsage=" + usage + "\n" + (san == null ? "" : san + "\n"));
    openssl("x509", "-req", "-in", p(name + ".csr"), "-CA", p(ca + ".pem"), "-CAkey",
        p(ca + ".key"), "-CAcreateserial", "-out", p(name + ".pem"), "-days", "2", "-extfile",
        ext.toString());
  }

  private void openssl(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    stack.run(argv.toArray(String[]::new));
  }

  private SSLContext serverContext() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(p("server.p12"))) {
      ks.load(in, "test".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "test".toCharArray());
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = new FileInputStream(p("ca.pem"))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Terminates TLS (client certificate required, ALPN h2 for gRPC) and relays to Temporal. */
  static final class TlsTerminator implements AutoCloseable {
    private final SSLServerSocket server;
    private final Thread acceptor;

    TlsTerminator(SSLContext ctx, String backendHost, int backendPort) throws IOException {
      server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 16,
          InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            SSLSocket s = (SSLSocket) server.accept();
            SSLParameters params = s.getSSLParameters();
            params.setNeedClientAuth(true);
            params.setApplicationProtocols(new String[] {"h2"});
            s.setSSLParameters(params);
            new Thread(() -> relay(s, backendHost, backendPort), "tls-relay").start();
          } catch (IOException closed) {
            return;
          }
        }
      }, "tls-terminator");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private static void relay(SSLSocket client, String host, int port) {
      try (client; Socket backend = new Socket()) {
        client.startHandshake(); // a client without a certificate fails here
        backend.connect(new InetSocketAddress(host, port));
        Thread up = pump(client.getInputStream(), backend.getOutputStream(), backend);
        pump(backend.getInputStream(), client.getOutputStream(), client).join();
        up.join();
      } catch (IOException | InterruptedException ignored) {
        // the connection ended
      }
    }

    private static Thread pump(InputStream in, OutputStream out, Socket toClose) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[16384];
        try {
          int n;
          while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
          }
        } catch (IOException ignored) {
          // one side closed
        }
        try {
          toClose.close();
        } catch (IOException ignored) {
          // already closed
        }
      }, "tls-pump");
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
