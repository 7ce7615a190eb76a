package io.lifeboat.verify;

/** One check of one backup: "sha256", "pg_restore --list", "restore", "validation: users". */
public record CheckOutcome(String name, boolean passed, String detail) {}
