package io.lifeboat.backup.mariadb;

import java.util.List;

/**
 * @param tables every base table of the scratch restore, with its rows and CHECKSUM TABLE
 * @param compared tables whose checksum matched the source's (unchanged during the dump)
 * @param changedDuringDump tables the source changed while the dump ran
 */
public record MariaDbVerifyResult(String sha256, long storedBytes, List<MariaDbTable> tables,
    int compared, List<String> changedDuringDump, String scratchServer) {}
