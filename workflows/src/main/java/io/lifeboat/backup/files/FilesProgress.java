package io.lifeboat.backup.files;

/** The heartbeat details of a running {@code restic backup}: its last status line. */
public record FilesProgress(double percentDone, long filesDone, long totalFiles, long bytesDone,
    long totalBytes) {}
