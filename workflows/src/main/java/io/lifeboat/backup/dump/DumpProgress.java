package io.lifeboat.backup.dump;

import java.util.List;

/**
 * Heartbeat details of the dump activity. A retry reads them to find the multipart upload a
 * killed attempt left behind, so it can abort it before starting clean.
 */
public record DumpProgress(
    String objectKey, String uploadId, long rawBytes, long storedBytes, List<Integer> partsDone) {}
