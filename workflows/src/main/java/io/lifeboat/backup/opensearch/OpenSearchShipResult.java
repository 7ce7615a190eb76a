package io.lifeboat.backup.opensearch;

/**
 * The fs repository's files in Lifeboat's repository, listed in files.json (not committed).
 *
 * @param uploaded files this run uploaded; the others were stored by an earlier backup
 */
public record OpenSearchShipResult(String fileListKey, int files, int uploaded, long rawBytes,
    long storedBytes, long uploadedBytes, String compression) {}
