package io.lifeboat.backup.bacula;

/**
 * A Bacula job as the Director's catalog reports it ({@code llist jobid=N}).
 *
 * @param jobStatus Bacula's one-letter JobStatus: T ok, E error, e non-fatal error, f fatal,
 *     A cancelled, R running, C created, ...
 * @param startTime StartTime as the Director prints it (its local time, "YYYY-MM-DD HH:MM:SS")
 * @param firstError the first "Fatal error" or "Error" line of the job's log; null when none
 */
public record BaculaJob(long jobId, String job, String jobStatus, String statusText,
    long jobFiles, long jobBytes, long jobErrors, String startTime, String endTime,
    String firstError) {

  /** T: the job ended and Bacula calls it OK (with JobErrors &gt; 0: OK with warnings). */
  public boolean ok() {
    return "T".equals(jobStatus);
  }
}
