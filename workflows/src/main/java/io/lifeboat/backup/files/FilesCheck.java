package io.lifeboat.backup.files;

/**
 * The verdict of {@code restic check --read-data-subset=N%}.
 *
 * @param line one line for people: "no errors" or the first error restic printed
 */
public record FilesCheck(boolean ok, int readDataPercent, String line) {}
