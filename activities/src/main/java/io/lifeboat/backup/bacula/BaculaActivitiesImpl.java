package io.lifeboat.backup.bacula;

import io.lifeboat.config.BaculaConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** bconsole steps of a Bacula job (issue 20); see {@link BaculaActivities}. */
public class BaculaActivitiesImpl implements BaculaActivities {
  static final long POLL_MILLIS = 2000;

  @Override
  public long baculaStart(BaculaConfig b, String tag) {
    Bconsole console = new Bconsole(b.bconsoleConfig());
    // A retry of this activity: the job it started carries the run's tag as its comment.
    for (Map<String, String> r : Bconsole.records(console.run("llist job=" + b.job()))) {
      if (tag.equals(r.get("Comment")) && b.job().equals(r.get("Name"))) {
        return Long.parseLong(r.get("JobId"));
      }
    }
    String out = console.run("run job=" + b.job() + " comment=\"" + tag + "\" yes");
    long id = Bconsole.queuedJobId(out);
    if (id < 0) {
      boolean unknown = out.contains("Job \"" + b.job() + "\" not found");
      throw (unknown ? FailureKind.BACULA_JOB_FAILED : FailureKind.BACULA_UNAVAILABLE).failure(
          unknown ? "the Director has no Job '" + b.job() + "' (bacula[" + b.name() + "].job)"
              : "bconsole run job=" + b.job() + " queued no job: " + Bconsole.tail(out));
    }
    return id;
  }

  @Override
  public BaculaJob baculaWait(BaculaConfig b, long jobId) {
    return await(new Bconsole(b.bconsoleConfig()), jobId, "backup");
  }

  private static BaculaJob await(Bconsole console, long jobId, String what) {
    while (true) {
      BaculaJob job = read(console, jobId);
      Activity.getExecutionContext().heartbeat(what + " JobId " + jobId + ": "
          + job.jobStatus() + ", " + job.jobFiles() + " files, " + job.jobBytes() + " bytes");
      if (Bconsole.terminal(job.jobStatus())) {
        String error = job.ok() && job.jobErrors() == 0 ? null
            : Bconsole.firstError(console.run("list joblog jobid=" + jobId));
        return new BaculaJob(job.jobId(), job.job(), job.jobStatus(), job.statusText(),
            job.jobFiles(), job.jobBytes(), job.jobErrors(), job.startTime(), job.endTime(),
            error);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for JobId " + jobId, e);
      }
    }
  }

  private static BaculaJob read(Bconsole console, long jobId) {
    String out = console.run("llist jobid=" + jobId);
    Map<String, String> r = Bconsole.records(out).stream()
        .filter(m -> Long.toString(jobId).equals(m.get("JobId"))).findFirst()
        .orElseThrow(() -> FailureKind.BACULA_UNAVAILABLE.failure("the Director's catalog has"
            + " no JobId " + jobId + ": " + Bconsole.tail(out)));
    String status = r.getOrDefault("JobStatus", "?");
    return new BaculaJob(jobId, r.get("Job"), status, Bconsole.statusText(status),
        number(r.get("JobFiles")), number(r.get("JobBytes")), number(r.get("JobErrors")),
        r.get("StartTime"), r.get("EndTime"), null);
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.replace(",", "").strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public BaculaRestoreCheck baculaRestoreCompare(BaculaConfig b, long jobId) {
    Bconsole console = new Bconsole(b.bconsoleConfig());
    Path where = Path.of(b.restoreWhere(), "lifeboat-" + jobId);
    delete(where);
    String out = console.run("restore jobid=" + jobId + " client=" + b.client() + " where="
        + where + " all done yes");
    long restoreId = Bconsole.queuedJobId(out);
    if (restoreId < 0) {
      throw FailureKind.BACULA_JOB_FAILED.failure("bconsole restore jobid=" + jobId
          + " queued no restore job: " + Bconsole.tail(out));
    }
    BaculaJob restore = await(console, restoreId, "restore");
    try {
      if (!restore.ok()) {
        return new BaculaRestoreCheck(restoreId, restore.jobStatus(), restore.jobFiles(),
            where.toString(), false, false, "restore JobId " + restoreId + " ended with JobStatus "
            + restore.jobStatus() + " (" + restore.statusText() + ")"
            + (restore.firstError() != null ? ": " + restore.firstError() : ""));
      }
      if (b.comparePath() == null) {
        return new BaculaRestoreCheck(restoreId, restore.jobStatus(), restore.jobFiles(),
            where.toString(), false, false, restore.jobFiles() + " files restored by JobId "
            + restoreId + " (no comparePath: not compared)");
      }
      Path source = Path.of(b.comparePath());
      Path copy = Path.of(where + b.comparePath());
      List<String> diffs = TreeCompare.differences(source, copy);
      String line = diffs.isEmpty()
          ? restore.jobFiles() + " files restored by JobId " + restoreId + " match "
              + b.comparePath()
          : diffs.size() + " difference(s) between " + b.comparePath() + " and its restore: "
              + String.join("; ", diffs.subList(0, Math.min(5, diffs.size())));
      return new BaculaRestoreCheck(restoreId, restore.jobStatus(), restore.jobFiles(),
          where.toString(), true, diffs.isEmpty(), line);
    } finally {
      delete(where);
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the scratch restore " + dir, e);
    }
  }
}
