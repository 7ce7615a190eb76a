package io.lifeboat.backup.dump;

/**
 * @param localCopy absolute path of the local copy, or null when none is configured
 * @param format the dump's format: directory (a tar of pg_dump -Fd's files, issue 21), or null
 *     for the custom format (every dump before issue 21)
 */
public record DumpResult(
    String objectKey,
    long rawBytes,
    long storedBytes,
    String sha256,
    String pgDumpVersion,
    String compression,
    String localCopy,
    long startedAtMillis,
    long finishedAtMillis,
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String format) {

  public DumpResult(String objectKey, long rawBytes, long storedBytes, String sha256,
      String pgDumpVersion, String compression, String localCopy, long startedAtMillis,
      long finishedAtMillis) {
    this(objectKey, rawBytes, storedBytes, sha256, pgDumpVersion, compression, localCopy,
        startedAtMillis, finishedAtMillis, null);
  }
}
