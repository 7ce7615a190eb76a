package io.lifeboat.snapshot;

/**
 * One database's part of a restore point.
 *
 * @param database the database's name in the config
 * @param lsn where pg_create_restore_point wrote the point (null when skipped)
 * @param segment the WAL segment holding it, archived before the point is recorded
 * @param skipped why no point was created (the server does not archive WAL), else null
 */
public record DatabasePoint(String database, String lsn, String segment, String skipped) {}
