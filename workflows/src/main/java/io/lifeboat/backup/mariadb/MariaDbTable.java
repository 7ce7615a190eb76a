package io.lifeboat.backup.mariadb;

/** One base table as a restore of the dump holds it. */
public record MariaDbTable(String name, long rows, long checksum) {}
