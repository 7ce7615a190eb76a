package io.lifeboat.verify;

import io.lifeboat.config.DatabaseConfig;

/** A scratch database named {@code name} on the server of {@code server}. */
public record ScratchDatabase(DatabaseConfig server, String name) {}
