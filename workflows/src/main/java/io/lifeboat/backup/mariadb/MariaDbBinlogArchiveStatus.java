package io.lifeboat.backup.mariadb;

/**
 * @param passes archive passes done (across continue-as-new)
 * @param lastArchived the newest binlog file the archive holds, or null
 * @param lastError the last failed pass's message, null once a pass succeeds again
 * @param lastPassAt when the last pass ended (workflow time, ISO-8601), or null
 */
public record MariaDbBinlogArchiveStatus(long passes, String lastArchived, String lastError,
    String lastPassAt) {}
