package io.lifeboat.backup.dump;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-made stand-in for the activities: it records every call (with the attempt number
 * Temporal gave it) and can be told to fail a method on its first N calls with a registry
 * failure. Results are derived from the requests, so the workflow's plumbing is what is tested.
 */
final class FakeBackupActivities implements DatabaseBackupActivities {

  /** One activity invocation as the fake saw it. */
  record Call(String method, int attempt, Object argument) {}

  /** @param marked whether the failure carries its kind's non-retryable flag, as it should */
  private record Failing(FailureKind kind, int times, boolean marked) {}

  static final String SERVER_VERSION = "15.18";
  static final long DATABASE_SIZE = 734_003_200L;
  static final long RAW_BYTES = 512_000_123L;
  static final long STORED_BYTES = 98_765_432L;
  static final String SHA256 =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static final String PG_DUMP_VERSION = "pg_dump (PostgreSQL) 15.18";
  static final String COMPRESSION = "zstd-3";
  static final long DUMP_STARTED = 1_795_226_405_000L;
  static final long DUMP_FINISHED = 1_795_226_530_500L;
  static final int TOC_ENTRIES = 57;
  static final List<String> EXPIRED = List.of("20261020T020000Z", "20261019T020000Z");

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Failing> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** Makes {@code method} fail with {@code kind} on its first {@code times} calls. */
  FakeBackupActivities failFirst(String method, int times, FailureKind kind) {
    failures.put(method, new Failing(kind, times, true));
    return this;
  }

  /**
   * Makes {@code method} always fail with {@code kind}'s type but without the non-retryable
   * flag, as an activity that builds its own ApplicationFailure might: only the workflow's
   * retry policy can then stop the retries.
   */
  FakeBackupActivities failAlwaysUnmarked(String method, FailureKind kind) {
    failures.put(method, new Failing(kind, Integer.MAX_VALUE, false));
    return this;
  }

  FakeBackupActivities failAlways(String method, FailureKind kind) {
    return failFirst(method, Integer.MAX_VALUE, kind);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<String> methodsCalled() {
    List<String> names = new ArrayList<>();
    for (Call c : calls) {
      names.add(c.method());
    }
    return names;
  }

  List<Call> callsTo(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Attempt numbers Temporal reported for each call of {@code method}, in call order. */
  List<Integer> attemptsOf(String method) {
    return callsTo(method).stream().map(Call::attempt).toList();
  }

  <T> List<T> argumentsOf(String method, Class<T> type) {
    return callsTo(method).stream().map(c -> type.cast(c.argument())).toList();
  }

  private void enter(String method, Object argument) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    calls.add(new Call(method, attempt, argument));
    int n = counts.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    Failing failing = failures.get(method);
    if (failing != null && n <= failing.times()) {
      String message = "fake " + method + " failed on call " + n;
      throw failing.marked()
          ? failing.kind().failure(message)
          : ApplicationFailure.newFailure(message, failing.kind().type());
    }
  }

  @Override
  public DatabaseFacts assess(DatabaseConfig database) {
    enter("assess", database);
    return new DatabaseFacts(SERVER_VERSION, DATABASE_SIZE);
  }

  @Override
  public DumpResult dumpToRepository(DumpRequest request) {
    enter("dumpToRepository", request);
    return new DumpResult(request.objectKey(), RAW_BYTES, STORED_BYTES, SHA256, PG_DUMP_VERSION,
        COMPRESSION, null, DUMP_STARTED, DUMP_FINISHED);
  }

  @Override
  public VerifyResult verifyStoredDump(VerifyRequest request) {
    enter("verifyStoredDump", request);
    return new VerifyResult(request.expectedSha256(), request.expectedBytes(), TOC_ENTRIES);
  }

  @Override
  public void commitManifest(RepositoryConfig repository, BackupManifest manifest) {
    enter("commitManifest", manifest);
  }

  @Override
  public List<String> applyRetention(RetentionRequest request) {
    enter("applyRetention", request);
    return EXPIRED;
  }

  @Override
  public void discardIncomplete(DiscardRequest request) {
    enter("discardIncomplete", request);
  }
}
