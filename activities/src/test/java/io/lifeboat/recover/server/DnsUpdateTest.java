package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rfc2136 DNS provider against a real BIND (named, a throwaway instance on a free port
 * with a dynamic zone that only a TSIG key may update): the A record follows the target, a
 * second update replaces it, an unsigned update is refused with the kind's failure.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DnsUpdateTest {
  @TempDir Path dir;
  private Process named;
  private int port;

  @BeforeEach
  void startNamed() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path key = dir.resolve("lifeboat.key");
    Files.writeString(key, run("tsig-keygen", "-a", "hmac-sha256", "lifeboat"));
    Files.writeString(dir.resolve("farmtally.test.zone"), String.join("\n",
        "$TTL 60",
        "@ IN SOA ns.farmtally.test. hostmaster.farmtally.test. 1 60 60 600 60",
        "@ IN NS ns.farmtally.test.",
        "ns IN A 127.0.0.1",
        "@ IN A 127.0.0.1", ""));
    Files.writeString(dir.resolve("named.conf"), String.join("\n",
        "options {",
        "  directory \"" + dir + "\";",
        "  listen-on port " + port + " { 127.0.0.1; };",
        "  listen-on-v6 { none; };",
        "  pid-file \"" + dir.resolve("named.pid") + "\";",
        "  session-keyfile \"" + dir.resolve("session.key") + "\";",
        "  recursion no;",
        "  dnssec-validation no;",
        "};",
        "controls { };",
        "include \"" + key + "\";",
        "zone \"farmtally.test\" {",
        "  type primary;",
        "  file \"" + dir.resolve("farmtally.test.zone") + "\";",
        "  update-policy { grant lifeboat zonesub ANY; };",
        "};", ""));
    named = new ProcessBuilder("named", "-g", "-c", dir.resolve("named.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      if (dig().equals("127.0.0.1")) return;
      assertTrue(named.isAlive(), () -> "named exited: " + log());
      Thread.sleep(100);
    }
    throw new AssertionError("named did not answer: " + log());
  }

  @AfterEach
  void stopNamed() throws Exception {
    if (named != null) {
      named.destroy();
      if (!named.waitFor(10, TimeUnit.SECONDS)) named.destroyForcibly().waitFor();
    }
  }

  private ServerTargetConfig target(String address, String keyFile) {
    return new ServerTargetConfig("dr", address, dir.resolve("dr").toString(), "farmtally.test",
        null, null, null, "db", "app", null, "inv", "play", null, null,
        new ServerTargetConfig.DnsConfig("rfc2136", "127.0.0.1:" + port, "farmtally.test.",
            keyFile, 30), null);
  }

  @Test
  void pointsTheDomainAtTheTargetAndReplacesAnEarlierAddress() throws Exception {
    String key = dir.resolve("lifeboat.key").toString();
    String said = DnsUpdate.update(target("127.0.0.2", key), new ToolRunner(() -> { }));
    assertTrue(said.contains("farmtally.test. A 127.0.0.2"), said);
    assertEquals("127.0.0.2", dig());
    // Run again (a retry, or a second recovery onto another address): one record, the new one.
    DnsUpdate.update(target("127.0.0.3", key), new ToolRunner(() -> { }));
    assertEquals("127.0.0.3", dig());
  }

  @Test
  void anUnsignedUpdateIsRefusedAsADnsFailure() throws Exception {
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> DnsUpdate.update(target("127.0.0.2", null), new ToolRunner(() -> { })));
    assertEquals(FailureKind.DNS_UPDATE_FAILED.type(), f.getType());
    assertTrue(f.getOriginalMessage().contains("REFUSED"), f.getOriginalMessage());
    assertEquals("127.0.0.1", dig());
  }

  private String dig() throws Exception {
    return run("dig", "@127.0.0.1", "-p", String.valueOf(port), "+short", "+time=1", "+tries=1",
        "farmtally.test", "A").strip();
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("named.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
