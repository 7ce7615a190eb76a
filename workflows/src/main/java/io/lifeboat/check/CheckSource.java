package io.lifeboat.check;

/**
 * One thing whose backups are checked: a kind (db-full, db-base, app, config, drill) and its
 * name (the database, the application, the estate, or the drill cadence).
 */
public record CheckSource(String kind, String name) {}
