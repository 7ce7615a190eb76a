package io.lifeboat.offsite;

/** Heartbeat details of a copy: what is done so far, and the object being copied. */
public record CopyProgress(String scope, int copied, int skipped, long bytesCopied,
    String currentKey) {}
