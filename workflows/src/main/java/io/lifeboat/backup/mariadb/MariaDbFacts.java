package io.lifeboat.backup.mariadb;

import java.util.List;
import java.util.Map;

/**
 * What the server says before or after a dump.
 *
 * @param databases the databases the backup covers (the configured list, or every non-system
 *     database when the config says all)
 * @param checksums CHECKSUM TABLE of every base table, keyed "db.table"
 * @param logBin whether the server writes a binlog (the dump then records its position)
 */
public record MariaDbFacts(String serverVersion, List<String> databases,
    Map<String, Long> checksums, boolean logBin) {}
