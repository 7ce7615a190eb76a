package io.lifeboat.backup.dump;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A directory-format dump (issue 21) restored with {@code pg_restore -j N}: the stored object
 * is unpacked into a scratch directory on the worker (checksum and size checked against the
 * manifest before pg_restore starts), restored, and the directory removed. Used by
 * {@code lifeboat verify} (into its scratch database) and {@code recover db} (into the
 * recovery's scratch database, swapped in afterwards).
 */
public final class DirectoryRestore {
  private DirectoryRestore() {}

  /** pg_restore's exit code and the end of its stderr. */
  public record Outcome(int exit, String stderr) {}

  /** The jobs of a restore: the database's configured {@code dump.jobs}, at least 2. */
  public static int jobs(DatabaseConfig db) {
    return db.dumpSettings().directory() ? db.dumpSettings().jobs() : 2;
  }

  public static Outcome restore(ObjectStore store, RepositoryCipher cipher, BackupManifest m,
      PgTools pg, DatabaseConfig db, String target, List<String> options, LongConsumer progress)
      throws IOException {
    Path scratch = DirectoryArchive.scratch("restore", db.name(), target);
    try {
      DirectoryArchive.Read read = DirectoryArchive.read(store, cipher, m.objectKey(),
          "backup " + m.backupId() + " of " + m.database(), scratch, false, progress);
      DirectoryArchive.requireMatches(read, m.objectKey(), m.sha256(), m.storedBytes());
      List<String> argv = new ArrayList<>();
      argv.add(pg.tool("pg_restore"));
      argv.addAll(pg.connection(db, target));
      argv.addAll(options);
      argv.addAll(List.of("--format=directory", "--jobs=" + jobs(db), scratch.toString()));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(pg.environment(db));
      Process p = pb.start();
      try (StderrTail stderr = new StderrTail(p.getErrorStream(), "pg_restore")) {
        while (!p.waitFor(2, TimeUnit.SECONDS)) {
          progress.accept(read.storedBytes());
        }
        return new Outcome(p.exitValue(), stderr.text());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for pg_restore");
      } finally {
        p.destroyForcibly();
      }
    } finally {
      DirectoryArchive.deleteTree(scratch);
    }
  }
}
