package io.lifeboat.recover.db;

import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.postgres.PgFailures;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.process.StderrTail;
import io.lifeboat.storage.CountingInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.db.DumpRestoreRequest;
import io.lifeboat.recover.db.RestoreProgress;
import io.lifeboat.recover.db.SwapResult;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery from a full dump, on the live server: restore into a scratch database, verify it
 * there, then rename the damaged database aside and the scratch one into its place. The
 * damaged database is kept under its new name, never dropped.
 */
final class DumpRecovery {
  private static final int CHUNK = 1 << 20;
  private final PgTools pg;
  private final Connections connections;

  DumpRecovery(PgTools pg, Connections connections) {
    this.pg = pg;
    this.connections = connections;
  }

  /** The name the damaged database is kept under. */
  static String keptName(DumpRestoreRequest req) {
    String name = req.scratchDatabase().replace("_lb_", "_replaced_");
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  void restore(DumpRestoreRequest req, ObjectStore store, RepositoryCipher cipher,
      ActivityExecutionContext ctx) throws IOException, InterruptedException {
    DatabaseConfig db = req.database();
    String scratch = req.scratchDatabase();
    // A retry starts over: a pg_restore stream cannot be resumed, and the scratch database
    // belongs to this recovery alone.
    sql(db, "drop database if exists " + Connections.quoteIdent(scratch) + " with (force)",
        "create database " + Connections.quoteIdent(scratch) + " template template0");
    // A directory-format dump (issue 21): unpacked on the worker, restored with pg_restore -j.
    io.lifeboat.backup.dump.BackupManifest m = io.lifeboat.backup.dump.Manifests.read(store,
        io.lifeboat.repository.RepositoryLayout.manifestKey(req.repository().prefix(), db.name(),
            req.plan().backupId()), io.lifeboat.backup.dump.BackupManifest.class);
    if (m.directoryFormat()) {
      restoreDirectory(req, m, store, cipher, ctx);
      return;
    }
    List<String> argv = new ArrayList<>();
    argv.add(pg.tool("pg_restore"));
    argv.addAll(pg.connection(db, scratch));
    argv.add("--exit-on-error");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(pg.environment(db));
    Process restore = pb.start();
    StderrTail stderr = new StderrTail(restore.getErrorStream(), "pg_restore");
    long total = req.plan().storedBytes();
    boolean ok = false;
    try (InputStream obj = store.get(req.plan().objectKey());
         CountingInputStream counted = new CountingInputStream(obj);
         ZstdInputStream unzstd = new ZstdInputStream(cipher.open(counted,
             req.plan().objectKey(), "backup " + req.plan().backupId() + " of "
             + req.database().name()));
         OutputStream toRestore = restore.getOutputStream()) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = unzstd.read(buf)) > 0) {
        try {
          toRestore.write(buf, 0, n);
        } catch (IOException closed) {
          break; // pg_restore gave up; its exit code and stderr say why
        }
        ctx.heartbeat(new RestoreProgress("restore", counted.count(), total, null, 0));
      }
      ok = true;
    } catch (com.github.luben.zstd.ZstdIOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("dump " + req.plan().objectKey() + " is corrupt ("
          + e.getMessage() + "); nothing was swapped" + previousDump(req, store));
    } catch (RepositoryCipher.CorruptObjectException e) {
      throw FailureKind.BACKUP_CORRUPT.failure(e.getMessage() + "; nothing was swapped"
          + previousDump(req, store));
    } finally {
      if (!ok) restore.destroyForcibly();
    }
    int exit = restore.waitFor();
    String err = stderr.text();
    stderr.close();
    if (exit != 0) {
      throw PgFailures.fromTool("pg_restore", db, exit, err);
    }
  }

  private void restoreDirectory(DumpRestoreRequest req, io.lifeboat.backup.dump.BackupManifest m,
      ObjectStore store, RepositoryCipher cipher, ActivityExecutionContext ctx) throws IOException {
    io.lifeboat.backup.dump.DirectoryRestore.Outcome o;
    try {
      o = io.lifeboat.backup.dump.DirectoryRestore.restore(store, cipher, m, pg, req.database(),
          req.scratchDatabase(), List.of("--exit-on-error"), n -> ctx.heartbeat(
              new RestoreProgress("restore", n, m.storedBytes(), null, 0)));
    } catch (io.temporal.failure.ApplicationFailure e) {
      if (!FailureKind.BACKUP_CORRUPT.type().equals(e.getType())) throw e;
      throw FailureKind.BACKUP_CORRUPT.failure(e.getOriginalMessage() + "; nothing was swapped"
          + previousDump(req, store));
    }
    if (o.exit() != 0) throw PgFailures.fromTool("pg_restore", req.database(), o.exit(), o.stderr());
  }

  /**
   * Names the committed dump before the corrupt one, so the operator knows what is left (the
   * fault suite flips a byte of a stored dump; the refusal has to say where to go next).
   */
  static String previousDump(DumpRestoreRequest req, ObjectStore store) {
    try {
      String root = io.lifeboat.repository.RepositoryLayout.fullBackupsRoot(
          req.repository().prefix(), req.database().name());
      String previous = null;
      for (String key : store.list(root)) {
        if (!key.endsWith("/" + io.lifeboat.repository.RepositoryLayout.MANIFEST)) continue;
        String id = key.substring(root.length()).replaceAll("^/+", "").split("/")[0];
        if (id.compareTo(req.plan().backupId()) < 0) previous = id;
      }
      return previous == null ? "; the repository holds no earlier dump of "
          + req.database().name() : "; the previous committed dump is " + previous
          + " (check it with lifeboat verify before relying on it)";
    } catch (RuntimeException e) {
      return ""; // the refusal stands without the hint
    }
  }

  SwapResult swap(DumpRestoreRequest req) {
    DatabaseConfig db = req.database();
    String kept = keptName(req);
    try (Connection c = connections.open(db, 0, "postgres"); Statement s = c.createStatement()) {
      boolean scratchThere = exists(s, req.scratchDatabase());
      boolean keptThere = exists(s, kept);
      boolean liveThere = exists(s, db.name());
      if (!scratchThere && keptThere && liveThere) {
        return new SwapResult(kept, db.name()); // an earlier attempt swapped; nothing to do
      }
      if (!scratchThere) {
        throw FailureKind.RECOVERY_FAILED.failure("the restored copy " + req.scratchDatabase()
            + " is gone; nothing to swap in");
      }
      if (liveThere) {
        terminate(s, db.name());
        s.execute("alter database " + Connections.quoteIdent(db.name()) + " rename to "
            + Connections.quoteIdent(kept));
      }
      terminate(s, req.scratchDatabase());
      s.execute("alter database " + Connections.quoteIdent(req.scratchDatabase()) + " rename to "
          + Connections.quoteIdent(db.name()));
      return new SwapResult(liveThere ? kept : "(the database did not exist)", db.name());
    } catch (SQLException e) {
      throw PgFailures.fromSql(db, e);
    }
  }

  void discard(DumpRestoreRequest req) {
    sql(req.database(), "drop database if exists " + Connections.quoteIdent(req.scratchDatabase())
        + " with (force)");
  }

  private void sql(DatabaseConfig db, String... statements) {
    try (Connection c = connections.open(db, 0, "postgres"); Statement s = c.createStatement()) {
      for (String st : statements) s.execute(st);
    } catch (SQLException e) {
      throw PgFailures.fromSql(db, e);
    }
  }

  private static boolean exists(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '"
        + name.replace("'", "''") + "'")) {
      return rs.next();
    }
  }

  /** A rename needs the database to itself: the application is stopped; end what is left. */
  private static void terminate(Statement s, String name) throws SQLException {
    s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
        + name.replace("'", "''") + "' and pid <> pg_backend_pid()");
  }
}
