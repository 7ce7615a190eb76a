package io.lifeboat.readiness;

import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.WalConfig;
import java.util.List;

/**
 * What to check in one repository: for each database, the keys (a few bytes of the newest
 * dump and base backup read through the repository key), the newest base backup and its WAL
 * (present and continuous), and, for a copy ({@code compareWith} set), its recovery point.
 *
 * @param name the repository's name in the config: {@code primary} or {@code offsite}
 * @param compareWith the repository this one copies (the primary, for the offsite); null for
 *     the primary itself, whose recovery point the WAL check already watches
 * @param rpoMinutes targets.rpoMinutes
 * @param nowMillis the time the check is about (workflow time)
 */
public record RepositoryProbe(String name, RepositoryConfig repository, List<String> databases,
    WalConfig wal, RepositoryConfig compareWith, int rpoMinutes, int sampleBytes,
    long nowMillis) {

  public RepositoryProbe {
    databases = databases == null ? List.of() : List.copyOf(databases);
    wal = wal != null ? wal : WalConfig.DEFAULT;
  }
}
