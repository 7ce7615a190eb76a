package io.lifeboat.backup.base;

/** Heartbeat details of the streaming activity; a retry aborts the upload an attempt left. */
public record BaseStreamProgress(String objectKey, String uploadId, String phase, long rawBytes,
    long storedBytes) {}
