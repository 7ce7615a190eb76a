package io.lifeboat.readiness;

import io.lifeboat.config.ServerTargetConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a server recovery needs from outside the estate: the target's domain resolves (DNS),
 * the ACME directory answers (certbot's first request). Neither changes anything.
 */
final class TargetReadiness {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  List<ReadinessFinding> check(TargetProbe p) {
    ServerTargetConfig t = p.target();
    String path = "server/" + t.name();
    List<ReadinessFinding> out = new ArrayList<>();
    out.add(dns(path, t, p.resolver()));
    out.add(acme(path, t));
    return out;
  }

  static ReadinessFinding dns(String path, ServerTargetConfig t, String resolver) {
    String server = resolver;
    String source = "readiness.resolver";
    if (server == null && ServerTargetConfig.DnsConfig.RFC2136.equals(t.dns().provider())
        && t.dns().server() != null) {
      server = t.dns().server();
      source = "the target's dns.server";
    }
    if (server == null) {
      return ReadinessFinding.ok(path, ReadinessFinding.DNS, "not configured: no"
          + " readiness.resolver and the target's DNS is " + t.dns().provider() + " (set"
          + " readiness.resolver to check that " + t.domain() + " resolves)");
    }
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, "dns://" + server);
    env.put("com.sun.jndi.dns.timeout.initial", "2000");
    env.put("com.sun.jndi.dns.timeout.retries", "3");
    try {
      DirContext ctx = new InitialDirContext(env);
      try {
        // One query per type: a query for both at once is sent as ANY, which some servers
        // (pebble-challtestsrv) refuse as not implemented.
        List<String> addresses = new ArrayList<>();
        NamingException failed = null;
        for (String type : List.of("A", "AAAA")) {
          try {
            Attribute a = ctx.getAttributes(t.domain(), new String[] {type}).get(type);
            if (a == null) continue;
            NamingEnumeration<?> all = a.getAll();
            while (all.hasMore()) addresses.add(String.valueOf(all.next()));
          } catch (NamingException e) {
            if (failed == null) failed = e;
          }
        }
        if (addresses.isEmpty() && failed != null) throw failed;
        if (addresses.isEmpty()) {
          return ReadinessFinding.problem(path, ReadinessFinding.DNS, t.domain() + " has no A"
              + " or AAAA record at " + server + " (" + source + ")");
        }
        return ReadinessFinding.ok(path, ReadinessFinding.DNS, t.domain() + " resolves to "
            + String.join(", ", addresses) + " at " + server + " (" + source + ")");
      } finally {
        ctx.close();
      }
    } catch (NamingException e) {
      return ReadinessFinding.problem(path, ReadinessFinding.DNS, t.domain() + " does not"
          + " resolve at " + server + " (" + source + "): " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  static ReadinessFinding acme(String path, ServerTargetConfig t) {
    String url = t.acme().directory();
    try {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
      if (t.acme().caBundle() != null) b.sslContext(trusting(Path.of(t.acme().caBundle())));
      HttpResponse<String> r = b.build().send(HttpRequest.newBuilder(URI.create(url))
          .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || !r.body().contains("newNonce")) {
        return ReadinessFinding.problem(path, ReadinessFinding.ACME, "the ACME directory " + url
            + " answered HTTP " + r.statusCode() + " without a newNonce URL: is it an ACME"
            + " directory?");
      }
      return ReadinessFinding.ok(path, ReadinessFinding.ACME, "the ACME directory " + url
          + " answers");
    } catch (Exception e) {
      return ReadinessFinding.problem(path, ReadinessFinding.ACME, "the ACME directory " + url
          + " does not answer: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  /** Trusts the certificates of a PEM file (certbot's REQUESTS_CA_BUNDLE) and nothing else. */
  static SSLContext trusting(Path pem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
