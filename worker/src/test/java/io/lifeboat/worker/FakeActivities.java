package io.lifeboat.worker;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.dump.DatabaseBackupActivities;
import io.lifeboat.backup.dump.DatabaseFacts;
import io.lifeboat.backup.dump.DiscardRequest;
import io.lifeboat.backup.dump.DumpRequest;
import io.lifeboat.backup.dump.DumpResult;
import io.lifeboat.backup.dump.RetentionRequest;
import io.lifeboat.backup.dump.VerifyRequest;
import io.lifeboat.backup.dump.VerifyResult;
import io.lifeboat.failure.FailureKind;
import java.util.List;
import java.util.Set;

/**
 * Stand-in activities with fixed results; the dump of any database named in {@code failing}
 * fails with a non-retryable registry failure, as a wrong password would.
 */
final class FakeActivities implements DatabaseBackupActivities {
  static final long RAW_BYTES = 512_000_123L;
  static final long STORED_BYTES = 98_765_432L;

  private final Set<String> failing;

  FakeActivities(Set<String> failing) {
    this.failing = Set.copyOf(failing);
  }

  @Override
  public DatabaseFacts assess(DatabaseConfig database) {
    return new DatabaseFacts("15.18", 734_003_200L);
  }

  @Override
  public DumpResult dumpToRepository(DumpRequest request) {
    if (failing.contains(request.database().name())) {
      throw FailureKind.PG_AUTH_FAILED.failure("fake: password authentication failed");
    }
    return new DumpResult(request.objectKey(), RAW_BYTES, STORED_BYTES,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "pg_dump (PostgreSQL) 15.18", "zstd-3", null, 1_795_226_405_000L, 1_795_226_530_500L);
  }

  @Override
  public VerifyResult verifyStoredDump(VerifyRequest request) {
    return new VerifyResult(request.expectedSha256(), request.expectedBytes(), 57);
  }

  @Override
  public void commitManifest(RepositoryConfig repository, BackupManifest manifest) {}

  @Override
  public List<String> applyRetention(RetentionRequest request) {
    return List.of();
  }

  @Override
  public void discardIncomplete(DiscardRequest request) {}
}
