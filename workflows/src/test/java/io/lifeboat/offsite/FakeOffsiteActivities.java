package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.failure.FailureKind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the offsite activities: keeps the "offsite bucket" as a set of backup
 * directories, so a second copy of the same scope finds everything there and copies nothing;
 * records each call; fails a method always when told to.
 */
public final class FakeOffsiteActivities implements OffsiteActivities {
  public record Call(String method, Object argument) {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final List<CopyRecord> records = new CopyOnWriteArrayList<>();
  /** Backup directories "in the primary" per scope; the copy moves what is missing. */
  public final Map<String, List<String>> primary = new ConcurrentHashMap<>();
  private final Set<String> offsite = ConcurrentHashMap.newKeySet();
  private final Map<String, FailureKind> failing = new ConcurrentHashMap<>();
  private volatile LockStatus lock =
      new LockStatus(LockStatus.UNAVAILABLE, "GOVERNANCE", 7, "NotImplemented from s3proxy");

  public FakeOffsiteActivities failAlways(String method, FailureKind kind) {
    failing.put(method, kind);
    return this;
  }

  /** Copy results say their key list was cut short (a big first sync). */
  public volatile boolean truncateKeys;

  public FakeOffsiteActivities lock(LockStatus status) {
    this.lock = status;
    return this;
  }

  public List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  private void call(String method, Object arg) {
    calls.add(new Call(method, arg));
    FailureKind kind = failing.get(method);
    if (kind != null) throw kind.failure("fake " + method + " failed");
  }

  @Override
  public LockStatus probeLock(OffsiteConfig offsite) {
    call("probeLock", offsite);
    return lock;
  }

  @Override
  public CopyResult copy(CopyRequest request) {
    call("copy", request);
    List<String> dirs = primary.getOrDefault(request.scope(),
        List.of(request.scope() + "20261121T020000Z/"));
    Set<String> copied = new HashSet<>();
    int skipped = 0;
    for (String dir : dirs) {
      if (offsite.add(dir)) copied.add(dir); else skipped++;
    }
    List<String> keys = copied.stream().sorted()
        .flatMap(d -> List.of(d + "dump.pgc.zst", d + "manifest.json").stream()).toList();
    return new CopyResult(request.scope(), keys.size(), skipped * 2, keys.size() * 1000L, keys,
        copied.stream().sorted().toList(), List.of(), truncateKeys);
  }

  @Override
  public VerifyCopyResult verify(VerifyCopyRequest request) {
    call("verify", request);
    int n = request.keys() == null ? 5 : request.keys().size(); // null: the whole scope
    return new VerifyCopyResult(n, n * 1000L, List.of());
  }

  @Override
  public OffsiteRetentionResult applyRetention(OffsiteRetentionRequest request) {
    call("applyRetention", request);
    return new OffsiteRetentionResult(List.of(),
        List.of(request.scope() + "20250101T020000Z/: Object Lock until 2026-12-01T00:00:00Z"));
  }

  @Override
  public void record(OffsiteConfig offsite, String primaryPrefix, CopyRecord record) {
    call("record", record);
    records.add(record);
  }
}
