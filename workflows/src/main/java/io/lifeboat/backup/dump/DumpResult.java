package io.lifeboat.backup.dump;

/** @param localCopy absolute path of the local copy, or null when none is configured */
public record DumpResult(
    String objectKey,
    long rawBytes,
    long storedBytes,
    String sha256,
    String pgDumpVersion,
    String compression,
    String localCopy,
    long startedAtMillis,
    long finishedAtMillis) {}
