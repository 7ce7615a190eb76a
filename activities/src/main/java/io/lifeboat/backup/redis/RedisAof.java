package io.lifeboat.backup.redis;

import io.lifeboat.config.RedisConfig;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AOF directory of a Redis 7 server (multi-part AOF): a consistent copy taken from its
 * dataDir, stored as a tar beside the RDB, and the proof that the stored copy loads.
 *
 * <p>Consistency: the manifest ({@code appendfilename.manifest}) names one base file (written
 * once, renamed into place by a rewrite, never changed after) and the incr files (append only).
 * The copy reads the manifest, takes the incr files' sizes, copies the base whole and each incr
 * file up to its size, then reads the manifest again: a different manifest (or a named file
 * gone) means a rewrite replaced the files meanwhile, and the copy starts over. The last incr
 * file may end in the middle of a command being written: redis-check-aof --fix cuts it, and the
 * result says so.
 */
final class RedisAof {
  private static final Logger log = LoggerFactory.getLogger(RedisAof.class);
  static final int MAX_ATTEMPTS = 10;
  private static final int CHUNK = 1 << 20;

  private RedisAof() {}

  /** One consistent copy in {@code into/dirName}. */
  record Copy(Path dir, String manifestName, List<String> files, int attempts, String fixed) {}

  /** appenddirname and appendfilename as the server says (CONFIG GET), with their defaults. */
  static String[] names(RedisCli cli, RedisConfig r) {
    return new String[] {configGet(cli, r, "appenddirname", "appendonlydir"),
        configGet(cli, r, "appendfilename", "appendonly.aof")};
  }

  private static String configGet(RedisCli cli, RedisConfig r, String name, String dflt) {
    String[] lines = cli.call(r, 30, "CONFIG", "GET", name).split("\n");
    return lines.length >= 2 && !lines[1].isBlank() ? lines[1].strip() : dflt;
  }

  static Copy copy(Path source, String manifestName, Path into, Runnable beat)
      throws IOException {
    Path manifest = source.resolve(manifestName);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      byte[] before;
      try {
        before = Files.readAllBytes(manifest);
      } catch (NoSuchFileException e) {
        throw FailureKind.REDIS_TOOL_FAILED.failure("no AOF manifest at " + manifest
            + ": is appendonly on, and is dataDir the server's dir?");
      }
      Map<String, Character> named = parse(new String(before, StandardCharsets.UTF_8));
      Map<String, Long> sizes = new LinkedHashMap<>();
      try {
        for (var e : named.entrySet()) {
          if (e.getValue() == 'i') sizes.put(e.getKey(), Files.size(source.resolve(e.getKey())));
        }
        RedisBackupActivitiesImpl.deleteTree(into);
        Files.createDirectories(into);
        Files.write(into.resolve(manifestName), before);
        for (var e : named.entrySet()) {
          Long limit = sizes.get(e.getKey());
          copyPrefix(source.resolve(e.getKey()), into.resolve(e.getKey()),
              limit == null ? Long.MAX_VALUE : limit, beat);
        }
      } catch (NoSuchFileException gone) {
        log.info("AOF file {} went away during the copy (a rewrite): copying again",
            gone.getFile());
        continue;
      }
      byte[] after = Files.exists(manifest) ? Files.readAllBytes(manifest) : new byte[0];
      if (!Arrays.equals(before, after)) {
        log.info("AOF manifest {} changed during the copy (a rewrite): copying again", manifest);
        continue;
      }
      List<String> files = new ArrayList<>(List.of(manifestName));
      files.addAll(named.keySet());
      return new Copy(into, manifestName, files, attempt, fixTail(into, manifestName));
    }
    throw FailureKind.REDIS_TOOL_FAILED.failure("the AOF of " + source + " was rewritten during "
        + "each of " + MAX_ATTEMPTS + " copies");
  }

  /** The base and incr files a manifest names, in order; history files (type h) left out. */
  static Map<String, Character> parse(String manifest) {
    Map<String, Character> out = new LinkedHashMap<>();
    for (String line : manifest.split("\n")) {
      String[] f = line.strip().split(" ");
      String file = null;
      char type = 0;
      for (int i = 0; i + 1 < f.length; i += 2) {
        if (f[i].equals("file")) file = f[i + 1];
        if (f[i].equals("type")) type = f[i + 1].charAt(0);
      }
      if (file != null && (type == 'b' || type == 'i')) out.put(file, type);
    }
    if (out.isEmpty()) {
      throw FailureKind.REDIS_TOOL_FAILED.failure("the AOF manifest names no base or incr file");
    }
    return out;
  }

  private static void copyPrefix(Path from, Path to, long limit, Runnable beat)
      throws IOException {
    try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
      byte[] buf = new byte[CHUNK];
      long left = limit;
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        out.write(buf, 0, n);
        left -= n;
        beat.run();
      }
    }
  }

  /** redis-check-aof; when the last incr file ends in a cut command, --fix. What was cut. */
  static String fixTail(Path dir, String manifestName) throws IOException {
    String manifest = dir.resolve(manifestName).toString();
    RedisCli.Result check = RedisCli.run(new ProcessBuilder("redis-check-aof", manifest), 600);
    if (check.exit() == 0) return null;
    long sizeBefore = totalSize(dir);
    Process p = new ProcessBuilder("redis-check-aof", "--fix", manifest)
        .redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("y\n".getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // it did not ask
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureKind.REDIS_TOOL_FAILED.failure("interrupted");
    }
    RedisCli.Result again = RedisCli.run(new ProcessBuilder("redis-check-aof", manifest), 600);
    if (again.exit() != 0) {
      throw FailureKind.REDIS_TOOL_FAILED.failure("redis-check-aof rejects the AOF copy and"
          + " --fix did not repair it: " + RedisCli.lastLine(out));
    }
    String fixed = "redis-check-aof --fix cut " + (sizeBefore - totalSize(dir))
        + " bytes of a partial last command";
    log.info("AOF copy in {}: {}", dir, fixed);
    return fixed;
  }

  private static long totalSize(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** tar -C parent -cf file name. */
  static void tar(Path parent, String name, Path file) {
    RedisCli.Result r = RedisCli.run(new ProcessBuilder("tar", "-C", parent.toString(), "-cf",
        file.toString(), name), 3600);
    if (r.exit() != 0) {
      throw FailureKind.LOCAL_IO.failure("tar of the AOF copy failed: " + r.both());
    }
  }

  /** tar -C into -xf file: a bad archive is a bad backup. */
  static void untar(Path file, Path into, String what) {
    RedisCli.Result r = RedisCli.run(new ProcessBuilder("tar", "-C", into.toString(), "-xf",
        file.toString()), 3600);
    if (r.exit() != 0) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored AOF " + what + " is not a readable tar: "
          + RedisCli.lastLine(r.both()));
    }
  }
}
