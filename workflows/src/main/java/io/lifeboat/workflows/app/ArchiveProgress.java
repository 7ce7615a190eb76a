package io.lifeboat.workflows.app;

/** Heartbeat details of an archive upload: a retry aborts the upload its predecessor left. */
public record ArchiveProgress(String objectKey, String uploadId, long rawBytes, long storedBytes) {}
