package io.lifeboat.recover.redis;

/** The snapshot downloaded next to the live one, checked, not yet swapped in. */
public record StagedSnapshot(String path, long bytes, String sha256) {}
