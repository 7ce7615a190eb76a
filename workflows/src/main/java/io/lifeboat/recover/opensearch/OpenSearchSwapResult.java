package io.lifeboat.recover.opensearch;

import java.util.Map;

/**
 * @param documents per index, what the restored live indices hold
 * @param kept the replaced indices: old name to the read-only clone that keeps them
 */
public record OpenSearchSwapResult(Map<String, Long> documents, Map<String, String> kept) {}
