package io.lifeboat.wal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.ObjectStore.ObjectInfo;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.wal.WalNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The WAL archive of one configured database's cluster: {@code PREFIX/wal/NAME/} (see
 * {@link RepositoryLayout}). What archive_command and restore_command do, and what the checks,
 * retention and recovery read. Thread-safe: the shipper pushes several segments at once.
 *
 * <p>Durability: {@link #push} returns only after S3 acknowledged the object (the SDK sends a
 * checksum of the body and S3 verifies it before it answers), and it never overwrites an object:
 * the write is conditional, so two pushers of one name cannot both win.
 */
public final class WalArchive {
  private final ObjectStore store;
  private final String prefix;
  private final String database;
  private final int level;
  private final RepositoryCipher cipher;

  /** Without a repository key: for listing, and for repositories that are not encrypted. */
  public WalArchive(ObjectStore store, String prefix, String database, int compressionLevel) {
    this(store, prefix, database, compressionLevel, RepositoryCipher.none());
  }

  /**
   * @param cipher seals what {@link #push} stores and opens what {@link #fetch} reads; the
   *     recorded SHA-256 stays that of the WAL file itself, so a conflict check and a restore
   *     check compare like with like whatever the key
   */
  public WalArchive(ObjectStore store, String prefix, String database, int compressionLevel,
      RepositoryCipher cipher) {
    this.store = store;
    this.prefix = prefix;
    this.database = database;
    this.level = compressionLevel;
    this.cipher = cipher;
  }

  public enum Outcome { STORED, ALREADY_ARCHIVED }

  public record PushResult(String name, String key, Outcome outcome, String sha256, long rawBytes,
      long storedBytes) {}

  /** One archived file as listed: name, key, and the timeline it belongs to. */
  public record Entry(String name, String key) {
    public boolean isSegment() {
      return WalNames.isSegment(name);
    }

    public int timeline() {
      return WalNames.timeline(name);
    }
  }

  public String database() {
    return database;
  }

  public String key(String walFileName) {
    requireName(walFileName);
    return RepositoryLayout.walKey(prefix, database, walFileName);
  }

  /**
   * Archives a file under its WAL name. The same content again is a no-op; different content
   * under a name that is already archived fails with {@link FailureKind#WAL_CONFLICT} and
   * leaves the archived object as it was.
   */
  public PushResult push(Path file, String walFileName) {
    String key = key(walFileName);
    byte[] raw;
    Instant writtenAt;
    try {
      raw = Files.readAllBytes(file);
      // Read after the content: PostgreSQL hands over only finished files, so this is the
      // time of the last write into the segment, which no commit in it can be later than.
      writtenAt = Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      throw new StorageException(FailureKind.LOCAL_IO, "cannot read " + file + ": " + e, e);
    }
    String sha = sha256(raw);
    Optional<ObjectInfo> existing = store.head(key);
    if (existing.isPresent()) {
      return same(walFileName, key, existing.get(), sha, raw.length);
    }
    byte[] packed;
    try {
      packed = cipher.seal(Zstd.compress(raw, level), key);
    } catch (IOException e) {
      throw new StorageException(FailureKind.LOCAL_IO, "cannot encrypt " + walFileName + ": "
          + e.getMessage(), e);
    }
    Map<String, String> meta = Map.of(RepositoryLayout.META_SHA256, sha,
        RepositoryLayout.META_RAW_BYTES, Long.toString(raw.length),
        RepositoryLayout.META_WRITTEN_AT, writtenAt.toString());
    if (store.putIfAbsent(key, packed, "application/zstd", meta)) {
      return new PushResult(walFileName, key, Outcome.STORED, sha, raw.length, packed.length);
    }
    // Someone stored it between our look and our write: judge what is there now.
    return same(walFileName, key, store.head(key).orElseThrow(() -> new StorageException(
        FailureKind.S3_UNAVAILABLE, "S3 refused to store " + key + " but has no such object",
        null)), sha, raw.length);
  }

  private PushResult same(String name, String key, ObjectInfo info, String sha, long rawBytes) {
    String stored = info.metadata().get(RepositoryLayout.META_SHA256);
    if (sha.equals(stored)) {
      return new PushResult(name, key, Outcome.ALREADY_ARCHIVED, sha, rawBytes, info.size());
    }
    throw new StorageException(FailureKind.WAL_CONFLICT, "WAL file " + name + " of " + database
        + " is already archived with different content (archived sha256 " + stored
        + ", this file " + sha + "); not overwritten", null);
  }

  /**
   * Restores an archived file to {@code dest}: decompressed into a temporary file beside it,
   * checked against the recorded SHA-256 and size, then renamed into place, so PostgreSQL
   * never sees a partial or corrupt file. Returns false, creating nothing, when the archive
   * does not have it.
   */
  public boolean fetch(String walFileName, Path dest) {
    String key = key(walFileName);
    Optional<ObjectInfo> info = store.head(key);
    if (info.isEmpty()) return false;
    String want = info.get().metadata().get(RepositoryLayout.META_SHA256);
    Path dir = dest.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + dest.getFileName() + ".lifeboat-" + ProcessHandle.current().pid());
    MessageDigest sha = digest();
    long bytes = 0;
    try (InputStream obj = store.get(key);
         InputStream in = new ZstdInputStream(cipher.open(obj, key, what(walFileName)));
         FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
             StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[1 << 20];
      int n;
      OutputStream os = java.nio.channels.Channels.newOutputStream(out);
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        os.write(buf, 0, n);
        bytes += n;
      }
      os.flush();
      out.force(true);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new StorageException(FailureKind.BACKUP_CORRUPT, "cannot restore " + key + " to "
          + dest + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    String got = HexFormat.of().formatHex(sha.digest());
    String wantBytes = info.get().metadata().get(RepositoryLayout.META_RAW_BYTES);
    if (want == null || !want.equals(got)
        || wantBytes != null && Long.parseLong(wantBytes) != bytes) {
      deleteQuietly(tmp);
      throw new StorageException(FailureKind.BACKUP_CORRUPT, "archived " + walFileName + " of "
          + database + " does not match its checksum (sha256 " + got + ", recorded " + want
          + "); not restored", null);
    }
    try {
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new StorageException(FailureKind.LOCAL_IO, "cannot move " + walFileName + " into "
          + dest + ": " + e.getMessage(), e);
    }
    return true;
  }

  /** A small archived file (a timeline history) in memory, checksum-checked; empty if absent. */
  public Optional<byte[]> read(String walFileName) {
    String key = key(walFileName);
    Optional<ObjectInfo> info = store.head(key);
    if (info.isEmpty()) return Optional.empty();
    byte[] raw;
    try (InputStream obj = store.get(key);
         InputStream in = new ZstdInputStream(cipher.open(obj, key, what(walFileName)))) {
      raw = in.readAllBytes();
    } catch (IOException e) {
      throw new StorageException(FailureKind.BACKUP_CORRUPT, "cannot read " + key + ": "
          + e.getMessage(), e);
    }
    String want = info.get().metadata().get(RepositoryLayout.META_SHA256);
    if (want == null || !want.equals(sha256(raw))) {
      throw new StorageException(FailureKind.BACKUP_CORRUPT, "archived " + walFileName + " of "
          + database + " does not match its checksum", null);
    }
    return Optional.of(raw);
  }

  public Optional<ObjectInfo> info(String walFileName) {
    return store.head(key(walFileName));
  }

  /**
   * How far in time the archive reaches once this file is stored: the time its last byte was
   * written ({@link RepositoryLayout#META_WRITTEN_AT}). Objects stored before that was recorded
   * have only S3's whole-second LastModified, taken after the file was finished; their whole
   * second counts as covered, as the bound checks always treated it.
   */
  public static Instant coveredUntil(ObjectInfo info) {
    return writtenAt(info).orElseGet(() ->
        info.lastModified().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).minusNanos(1));
  }

  /**
   * The recorded write time ({@link RepositoryLayout#META_WRITTEN_AT}) alone: empty for an
   * object stored before it was recorded, or with a value that does not parse.
   */
  public static Optional<Instant> writtenAt(ObjectInfo info) {
    String written = info.metadata().get(RepositoryLayout.META_WRITTEN_AT);
    if (written == null) return Optional.empty();
    try {
      return Optional.of(Instant.parse(written));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty(); // not ours to trust: the store's own time is the fallback
    }
  }

  /** {@link #coveredUntil(ObjectInfo)} of one archived file, or empty when it is not archived. */
  public Optional<Instant> coveredUntil(String walFileName) {
    return info(walFileName).map(WalArchive::coveredUntil);
  }

  /** Everything archived, in name order within each timeline directory. */
  public List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    for (String key : store.list(RepositoryLayout.walRoot(prefix, database))) {
      String name = RepositoryLayout.walFileName(key);
      if (name != null && WalNames.isArchivable(name)) out.add(new Entry(name, key));
    }
    return out;
  }

  /** Segment names (24 hex digits), sorted: by timeline, then position. */
  public List<String> segments() {
    return list().stream().filter(Entry::isSegment).map(Entry::name).sorted().toList();
  }

  /** Timelines that have segments or a history file. */
  public TreeSet<Integer> timelines() {
    TreeSet<Integer> t = new TreeSet<>();
    for (Entry e : list()) t.add(e.timeline());
    return t;
  }

  /** The newest segment: the furthest position, on the highest timeline at that position. */
  public Optional<String> newestSegment(long segmentSize) {
    return segments().stream().max((a, b) -> {
      int c = Long.compare(WalNames.segmentNumber(a, segmentSize),
          WalNames.segmentNumber(b, segmentSize));
      return c != 0 ? c : Integer.compare(WalNames.timeline(a), WalNames.timeline(b));
    });
  }

  /** Removes one archived file (retention). Removing what is not there succeeds. */
  public void delete(String walFileName) {
    store.delete(key(walFileName));
  }

  private String what(String walFileName) {
    return "WAL file " + walFileName + " of " + database;
  }

  private static void requireName(String name) {
    if (!WalNames.isArchivable(name)) {
      throw new StorageException(FailureKind.WAL_BAD_NAME, "'" + name + "' is not a WAL file"
          + " name (a segment, .partial, .backup or .history file)", null);
    }
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temporary file; nothing refers to it
    }
  }
}
