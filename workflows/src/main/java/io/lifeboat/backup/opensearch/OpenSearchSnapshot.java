package io.lifeboat.backup.opensearch;

import java.util.List;

/** A snapshot the node finished (state SUCCESS), not yet shipped. */
public record OpenSearchSnapshot(String snapshot, String uuid, List<String> indices,
    int shards, long startedAtMillis, long finishedAtMillis) {}
