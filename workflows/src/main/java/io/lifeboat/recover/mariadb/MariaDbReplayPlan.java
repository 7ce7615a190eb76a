package io.lifeboat.recover.mariadb;

import java.util.List;

/**
 * Which archived binlogs a point-in-time recovery replays: from the backup's position in the
 * first file to stopPosition in the last (the first transaction after the target starts
 * there; null: the whole last file).
 *
 * @param transactions transactions the replay applies
 * @param lastApplied time of the last transaction applied (ISO), or null when none is
 */
public record MariaDbReplayPlan(List<String> files, long startPosition, Long stopPosition,
    int transactions, String lastApplied) {}
