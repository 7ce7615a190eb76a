package io.lifeboat.workflows.backup;

/** What assess found: the server answers, and how big the database is. */
public record DatabaseFacts(String serverVersion, long sizeBytes) {}
