package io.lifeboat.recover.redis;

/** @param keptPath where the replaced RDB was kept (null: there was none) */
public record SwapResult(String livePath, String keptPath, String keptAofDir, long keys) {}
