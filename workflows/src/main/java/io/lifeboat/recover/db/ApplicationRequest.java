package io.lifeboat.recover.db;

import io.lifeboat.config.DatabaseConfig;

/** The application of a database (may be unset: then stop and start do nothing). */
public record ApplicationRequest(DatabaseConfig database) {}
