package io.lifeboat.backup.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * redis-cli against a configured server. The password travels in REDISCLI_AUTH, never on the
 * command line; every failure becomes one FailureKind with the tool's own words.
 */
public final class RedisCli {
  private final Secrets secrets;

  public RedisCli(Secrets secrets) {
    this.secrets = secrets;
  }

  /** A finished redis-cli run: exit code and both streams. */
  public record Result(int exit, String out, String err) {
    public String both() {
      return (out + "\n" + err).strip();
    }
  }

  public ProcessBuilder command(RedisConfig r, String... args) {
    List<String> argv = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-e", "-h",
        r.address(), "-p", String.valueOf(r.port())));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().remove("REDISCLI_AUTH");
    if (r.passwordEnv() != null) {
      pb.environment().put("REDISCLI_AUTH",
          secrets.require(r.passwordEnv(), "the password of redis " + r.name()));
    }
    return pb;
  }

  /** Runs one command; throws the classified failure unless it succeeded. */
  public String call(RedisConfig r, long timeoutSeconds, String... args) {
    Result res = run(command(r, args), timeoutSeconds);
    String both = res.both();
    if (res.exit() != 0 || both.startsWith("ERR") || both.contains("NOAUTH")
        || both.contains("WRONGPASS") || both.contains("AUTH failed")) {
      throw classify(r, String.join(" ", args), both);
    }
    return res.out();
  }

  public static Result run(ProcessBuilder pb, long timeoutSeconds) {
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> copy(p.getErrorStream(), err), "redis-cli-stderr");
      drain.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(p.getInputStream(), out);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw FailureKind.REDIS_TOOL_FAILED.failure(pb.command().get(0) + " did not finish in "
            + timeoutSeconds + " s");
      }
      drain.join(2000);
      return new Result(p.exitValue(), out.toString(), err.toString());
    } catch (IOException e) {
      throw FailureKind.REDIS_TOOL_FAILED.failure("cannot run " + pb.command().get(0) + ": "
          + e.getMessage() + " (apt-get install redis-tools)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.REDIS_TOOL_FAILED.failure("interrupted");
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream to) {
    try (in) {
      in.transferTo(to);
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** One failure, of the kind the tool's words say. */
  public static io.temporal.failure.ApplicationFailure classify(RedisConfig r, String what,
      String text) {
    String where = "redis " + r.name() + " at " + r.address() + ":" + r.port();
    String line = lastLine(text);
    if (text.contains("Could not connect") || text.contains("Connection refused")
        || text.contains("Connection reset") || text.contains("No route to host")) {
      return FailureKind.REDIS_UNAVAILABLE.failure(where + " does not answer: " + line);
    }
    if (text.contains("WRONGPASS") || text.contains("NOAUTH") || text.contains("AUTH failed")
        || text.contains("invalid password") || text.contains("NOPERM")) {
      return FailureKind.REDIS_AUTH_FAILED.failure(where + " refused the password from "
          + (r.passwordEnv() == null ? "(no passwordEnv set)" : "$" + r.passwordEnv()) + ": "
          + line);
    }
    return FailureKind.REDIS_TOOL_FAILED.failure(where + ": redis-cli " + what + " failed: "
        + line);
  }

  static String lastLine(String text) {
    String last = "";
    for (String l : text.strip().split("\n")) {
      if (!l.isBlank()) last = l.strip();
    }
    return last.length() > 300 ? last.substring(0, 300) + "..." : last;
  }

  /** A field of INFO output ("used_memory"), or null. */
  public static String infoField(String info, String field) {
    for (String l : info.split("\r?\n")) {
      if (l.startsWith(field + ":")) return l.substring(field.length() + 1).strip();
    }
    return null;
  }

  /** Keys over every db of INFO keyspace (db0:keys=3,expires=0,avg_ttl=0). */
  public static long keys(String info) {
    long total = 0;
    for (String l : info.split("\r?\n")) {
      if (l.matches("db\\d+:keys=\\d+.*")) {
        total += Long.parseLong(l.substring(l.indexOf("keys=") + 5).split(",")[0].strip());
      }
    }
    return total;
  }

  public RedisFacts facts(RedisConfig r) {
    String info = call(r, 30, "INFO");
    String used = infoField(info, "used_memory");
    String offset = infoField(info, "master_repl_offset");
    return new RedisFacts(infoField(info, "redis_version"), keys(info),
        used == null ? 0 : Long.parseLong(used), offset == null ? null : Long.parseLong(offset));
  }

  public static String version(String tool) {
    Result r = run(new ProcessBuilder(tool, "--version"), 10);
    return lastLine(r.out());
  }
}
