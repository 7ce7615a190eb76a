package io.lifeboat.backup.dump;

/** What assess found: the server answers, and how big the database is. */
public record DatabaseFacts(String serverVersion, long sizeBytes) {}
