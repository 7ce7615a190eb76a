package io.lifeboat.backup.opensearch;

import java.util.Map;

/** What the node says: distribution, version, documents per index of the configured pattern. */
public record OpenSearchFacts(String distribution, String version, Map<String, Long> documents) {}
