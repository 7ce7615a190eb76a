package io.lifeboat.recover.server;

import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 2136 dynamic update with nsupdate: the domain's A records are replaced by the target's
 * address in one update (delete + add are applied atomically by the server), so a retry sends
 * the same update again.
 */
final class DnsUpdate {
  private DnsUpdate() {}

  static String update(ServerTargetConfig t, ToolRunner tools) {
    ServerTargetConfig.DnsConfig dns = t.dns();
    String server = dns.server();
    String port = "53";
    int colon = server.lastIndexOf(':');
    if (colon > 0 && server.indexOf(':') == colon) {
      port = server.substring(colon + 1);
      server = server.substring(0, colon);
    }
    String name = t.domain().endsWith(".") ? t.domain() : t.domain() + ".";
    String type = t.address().contains(":") ? "AAAA" : "A";
    String script = "server " + server + " " + port + "\n"
        + "zone " + dns.zone() + "\n"
        + "update delete " + name + " " + type + "\n"
        + "update add " + name + " " + dns.ttl() + " " + type + " " + t.address() + "\n"
        + "send\n";
    // A temporary file of the worker that runs the update (the control worker), not one under
    // the target's root: that directory is on the target's machine (issue 17).
    Path file;
    try {
      file = Files.createTempFile("lifeboat-dns-update-", ".txt");
      Files.writeString(file, script);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("cannot write the nsupdate script: " + e.getMessage());
    }
    try {
      List<String> argv = new ArrayList<>(List.of("nsupdate"));
      if (dns.keyFile() != null) argv.addAll(List.of("-k", dns.keyFile()));
      argv.add(file.toString());
      tools.check(FailureKind.DNS_UPDATE_FAILED, argv, null, Map.of(), Duration.ofMinutes(2),
          "nsupdate against " + dns.server());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the OS cleans its tmp
      }
    }
    return name + " " + type + " " + t.address() + " (RFC 2136 update to " + dns.server() + ")";
  }
}
