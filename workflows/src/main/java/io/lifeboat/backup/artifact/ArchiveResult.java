package io.lifeboat.backup.artifact;

import java.util.List;

/**
 * @param rawBytes bytes of the files before compression
 * @param files per-file digests when asked for, else empty
 * @param missingOptional optional sources that were not there (e.g. no Jenkins casc file)
 * @param localCopy the copy in repository.localCopyDir (the seed's "S3 + local"), or null
 */
public record ArchiveResult(
    String objectKey,
    long storedBytes,
    long rawBytes,
    String sha256,
    int fileCount,
    List<FileDigest> files,
    List<String> missingOptional,
    long startedAtMillis,
    long finishedAtMillis,
    String localCopy) {}
