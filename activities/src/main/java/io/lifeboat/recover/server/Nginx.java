package io.lifeboat.recover.server;

import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The target's own nginx instance ({@code nginx -p ROOT/nginx -c conf/nginx.conf}), never the
 * system's service: the configuration is tested first, then nginx is started when it does not
 * run and reloaded when it does, so a retry converges.
 */
final class Nginx {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private Nginx() {}

  static String startOrReload(ServerTargetConfig t, ToolRunner tools) {
    String prefix = t.nginxPrefix() + "/";
    List<String> base = List.of("nginx", "-p", prefix, "-c", "conf/nginx.conf");
    var test = tools.run(FailureKind.NGINX_FAILED, concat(base, "-t"), null, Map.of(), TIMEOUT);
    if (test.exit() != 0) {
      throw FailureKind.NGINX_CONFIG_INVALID.failure("nginx -t rejected " + prefix
          + "conf/nginx.conf: " + ToolRunner.clip(io.lifeboat.process.Commands.lastLine(
              test.stderr().isBlank() ? test.stdout() : test.stderr())));
    }
    String what;
    if (running(t)) {
      tools.check(FailureKind.NGINX_FAILED, concat(base, "-s", "reload"), null, Map.of(), TIMEOUT,
          "nginx -s reload");
      what = "nginx -t ok, reloaded";
    } else {
      tools.check(FailureKind.NGINX_FAILED, base, null, Map.of(), TIMEOUT, "nginx (start)");
      what = "nginx -t ok, started";
    }
    awaitPort(t.address(), t.httpPort());
    return what + " (" + t.address() + ":" + t.httpPort() + ")";
  }

  /** A master whose pid file is ours and whose process is nginx. */
  static boolean running(ServerTargetConfig t) {
    return pid(t) > 0;
  }

  static long pid(ServerTargetConfig t) {
    Path pidFile = Path.of(t.nginxPrefix(), "logs", "nginx.pid");
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().orElse("").contains("nginx")).isPresent() ? pid : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** nginx -s quit for the target's instance; nothing when it does not run. */
  static boolean stop(ServerTargetConfig t, ToolRunner tools) {
    if (!running(t)) return false;
    tools.run(FailureKind.NGINX_FAILED, List.of("nginx", "-p", t.nginxPrefix() + "/", "-c",
        "conf/nginx.conf", "-s", "quit"), null, Map.of(), TIMEOUT);
    long pid = pid(t);
    for (int i = 0; i < 100 && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
      sleep(100);
    }
    return true;
  }

  private static void awaitPort(String host, int port) {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 1000);
        return;
      } catch (IOException notYet) {
        sleep(200);
      }
    }
    throw FailureKind.NGINX_FAILED.failure("nginx does not listen on " + host + ":" + port);
  }

  private static List<String> concat(List<String> a, String... more) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
