package io.lifeboat.verify;

/** The stored dump read back whole: its checksum, size and table of contents. */
public record IntegrityResult(String sha256, long bytes, long rawBytes, int tocEntries) {}
