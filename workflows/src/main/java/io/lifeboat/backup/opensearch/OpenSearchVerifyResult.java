package io.lifeboat.backup.opensearch;

import java.util.Map;

/** @param documents per index, what the scratch restore holds */
public record OpenSearchVerifyResult(Map<String, Long> documents, int files, long storedBytes) {}
