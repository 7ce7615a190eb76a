package io.lifeboat.backup.dump;

/** @param tocEntries entries pg_restore --list found in the stored dump */
public record VerifyResult(String sha256, long bytes, int tocEntries) {}
