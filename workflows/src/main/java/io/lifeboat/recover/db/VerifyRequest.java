package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;

/**
 * Run the configured validation queries against the recovered copy, before it is swapped in.
 *
 * @param port where the copy answers (the scratch server), or 0 for the configured port
 * @param databaseName the database to query (the scratch database for a dump restore)
 * @param notAfter for a time target: timestamps checked with notAfterTarget must not be later
 */
public record VerifyRequest(DatabaseConfig database, int port, String databaseName,
    String notAfter) {}
