package io.lifeboat.backup.bacula;

/**
 * The restore of a job into the scratch directory and its comparison with the source tree.
 *
 * @param compared the restored tree was compared with bacula[].comparePath
 * @param same every file, directory and link matched (content, mode, link target)
 * @param line what was found, one line (the first differences when not the same)
 */
public record BaculaRestoreCheck(long restoreJobId, String jobStatus, long jobFiles,
    String restoredTo, boolean compared, boolean same, String line) {

  public boolean ok() {
    return "T".equals(jobStatus) && (!compared || same);
  }
}
