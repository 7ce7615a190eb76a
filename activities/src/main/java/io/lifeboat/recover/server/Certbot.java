package io.lifeboat.recover.server;

import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * certbot certonly --webroot (the HTTP-01 token is served by the target's nginx), with its
 * config, work and logs directories under the target's root. --keep-until-expiring makes a
 * retry keep a certificate an earlier attempt already got.
 */
final class Certbot {
  static final Duration TIMEOUT = Duration.ofMinutes(10);

  private Certbot() {}

  static Path liveDir(ServerTargetConfig t) {
    return Path.of(t.letsencryptDir(), "config", "live", t.domain());
  }

  static String issue(ServerTargetConfig t, ToolRunner tools) {
    String le = t.letsencryptDir();
    List<String> argv = new ArrayList<>(List.of("certbot", "certonly", "--webroot", "-w",
        t.webroot(), "-d", t.domain(), "--server", t.acme().directory(),
        "--config-dir", le + "/config", "--work-dir", le + "/work", "--logs-dir", le + "/logs",
        "--non-interactive", "--agree-tos", "--keep-until-expiring"));
    if (t.acme().email() != null) argv.addAll(List.of("-m", t.acme().email()));
    else argv.add("--register-unsafely-without-email");
    Map<String, String> env = new HashMap<>();
    // certbot (python requests) trusts this CA for the ACME server itself (pebble's test CA).
    if (t.acme().caBundle() != null) env.put("REQUESTS_CA_BUNDLE", t.acme().caBundle());
    var r = tools.run(FailureKind.CERTBOT_FAILED, argv, null, env, TIMEOUT);
    if (r.exit() != 0) {
      String out = r.stdout() + "\n" + r.stderr();
      String detail = out.lines().filter(l -> l.contains("Detail:") || l.contains("Error"))
          .map(String::strip).reduce((a, b) -> b).orElse(io.lifeboat.process.Commands.lastLine(out));
      throw FailureKind.CERTBOT_FAILED.failure("certbot certonly for " + t.domain() + " against "
          + t.acme().directory() + " exited " + r.exit() + ": " + ToolRunner.clip(detail));
    }
    boolean kept = r.stdout().contains("not yet due for renewal");
    return (kept ? "kept the certificate for " : "issued for ") + t.domain() + " by "
        + t.acme().directory() + describe(liveDir(t).resolve("cert.pem"));
  }

  /** "; CN=..., until 2027-02-20T..." from the certificate file. */
  static String describe(Path certFile) {
    try (InputStream in = Files.newInputStream(certFile)) {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(in);
      return "; issuer " + c.getIssuerX500Principal().getName() + ", valid until "
          + c.getNotAfter().toInstant();
    } catch (IOException | CertificateException e) {
      throw FailureKind.CERTBOT_FAILED.failure("certbot succeeded but " + certFile
          + " cannot be read: " + e.getMessage());
    }
  }
}
