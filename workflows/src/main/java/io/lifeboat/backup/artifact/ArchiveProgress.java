package io.lifeboat.backup.artifact;

/** Heartbeat details of an archive upload: a retry aborts the upload its predecessor left. */
public record ArchiveProgress(String objectKey, String uploadId, long rawBytes, long storedBytes) {}
