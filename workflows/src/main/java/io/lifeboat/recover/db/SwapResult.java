package io.lifeboat.recover.db;

/**
 * @param keptAs where the damaged data directory (or database) now is: never deleted
 */
public record SwapResult(String keptAs, String liveAt) {}
