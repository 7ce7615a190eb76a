package io.lifeboat.backup.redis;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stored AOF directory on disk again: unpacked, checked, named (recovery uses these). */
public final class RedisAofFiles {
  private RedisAofFiles() {}

  /** Unpacks the tar into {@code into} and runs redis-check-aof on {@code into/dirName}. */
  public static void untarAndCheck(Path tar, Path into, String dirName, String what)
      throws IOException {
    RedisAof.untar(tar, into, what);
    Path dir = into.resolve(dirName);
    String manifest = appendfilename(dir) + ".manifest";
    RedisCli.Result check = RedisCli.run(new ProcessBuilder("redis-check-aof",
        dir.resolve(manifest).toString()), 600);
    if (check.exit() != 0) {
      throw FailureKind.BACKUP_CORRUPT.failure("redis-check-aof rejects stored AOF " + what
          + ": " + RedisCli.lastLine(check.both()));
    }
  }

  /** The appendfilename of an AOF directory: its manifest's name without ".manifest". */
  public static String appendfilename(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw FailureKind.BACKUP_CORRUPT.failure("no AOF directory at " + dir);
    }
    try (var files = Files.list(dir)) {
      String m = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".manifest")).findFirst().orElseThrow(() ->
              FailureKind.BACKUP_CORRUPT.failure("no AOF manifest in " + dir));
      return m.substring(0, m.length() - ".manifest".length());
    }
  }

  public static void deleteTree(Path dir) {
    RedisBackupActivitiesImpl.deleteTree(dir);
  }
}
