package io.lifeboat.check;

/** One thing whose backups are checked: kind "db-full" and the database name, for now. */
public record CheckSource(String kind, String name) {}
