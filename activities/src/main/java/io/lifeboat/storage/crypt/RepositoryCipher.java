package io.lifeboat.storage.crypt;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplate;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetManager;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.KeyStatusType;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.crypt.EncryptionInfo;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-side encryption of stored objects: Tink's StreamingAead (AES-256-GCM-HKDF, 1 MiB
 * segments), so memory stays constant however large the object. Callers compress first and
 * seal the compressed stream (ciphertext does not compress).
 *
 * <p>Stored form: {@code "LBX1" | len | keyId | Tink ciphertext}. The key id (of the one key,
 * the keyset's primary at the time, that sealed the object) in the clear lets a reader take that
 * key from the keyset, whatever generation it is, and say "written with key K1, which no loaded
 * keyset holds" instead of a bare authentication failure, and
 * lets a repository hold plaintext objects from before encryption was switched on (they have no
 * such header and are read as they are). The associated data binds the ciphertext to the key id
 * and to the object key, so an object copied over another one (an old dump over a new one, one
 * WAL segment over another) fails authentication instead of restoring the wrong data.
 *
 * <p>Rotation: a keyset holds several keys (Tink's own mechanism, {@link #rotate}); the primary
 * seals, every key opens what it sealed. One instance per keyset source; thread-safe (Tink
 * primitives are, and the keyring is swapped whole).
 */
public final class RepositoryCipher {
  public static final String SCHEME = "tink-AES256_GCM_HKDF_1MB";
  static final byte[] MAGIC = "LBX1".getBytes(StandardCharsets.US_ASCII);
  private static final RepositoryCipher NONE = new RepositoryCipher(null, null, null, null);

  static {
    try {
      StreamingAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * What is loaded now. A cipher made from a key file swaps it when the file changes (a rotation
   * renames a new file into place), so a long-running worker or WAL shipper picks up a new
   * primary without a restart; one from an environment variable keeps what it started with.
   */
  private volatile Keyring ring;
  private final Path file;
  private final String source;
  private volatile FileStamp stamp;

  private RepositoryCipher(Keyring ring, String source, Path file, FileStamp stamp) {
    this.ring = ring;
    this.source = source;
    this.file = file;
    this.stamp = stamp;
  }

  /** No encryption: seal passes bytes through; open reads plaintext, refuses encrypted objects. */
  public static RepositoryCipher none() {
    return NONE;
  }

  /**
   * From a keyset in JSON ({@code lifeboat keys generate --repository FILE}).
   *
   * @param source where it came from, for messages (a file name or a variable name, never the key)
   */
  public static RepositoryCipher fromJson(String json, String source) {
    return new RepositoryCipher(Keyring.parse(json, source), source, null, null);
  }

  /**
   * From a keyset file, reloaded when the file changes (checked by size, modification time and
   * inode before each object is sealed or opened: a stat, nothing next to an S3 request).
   */
  public static RepositoryCipher fromFile(Path file, String source) throws IOException {
    FileStamp st = FileStamp.of(file);
    String json = Files.readString(file, StandardCharsets.UTF_8);
    return new RepositoryCipher(Keyring.parse(json, source), source, file, st);
  }

  private Keyring ring() {
    if (file == null) return ring;
    FileStamp now;
    try {
      now = FileStamp.of(file);
    } catch (IOException gone) {
      return ring; // moved away for a moment, or unreadable now: keep what works
    }
    if (now.equals(stamp)) return ring;
    synchronized (this) {
      if (!now.equals(stamp)) {
        try {
          ring = Keyring.parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (IOException | StorageException unreadable) {
          // A half-edited or unreadable file must not stop backups: keep the keys we had. The
          // next change is tried again; `lifeboat keys list` shows what the file holds.
        }
        stamp = now;
      }
      return ring;
    }
  }

  /** Identifies a version of a key file without reading it. */
  private record FileStamp(long size, long modified, Object inode) {
    static FileStamp of(Path f) throws IOException {
      var a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
      return new FileStamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
    }
  }

  public boolean enabled() {
    return this != NONE;
  }

  /** The id of the primary key (the one new objects are sealed with), or null when off. */
  public String keyId() {
    return enabled() ? ring().primary() : null;
  }

  /** Every key id this cipher can open, primary first; empty when off. */
  public List<String> keyIds() {
    return enabled() ? ring().ids() : List.of();
  }

  /** Where the keys come from, for messages (never the key). */
  public String source() {
    return source;
  }

  /** What a manifest records about objects written through this cipher; null when off. */
  public EncryptionInfo info() {
    return enabled() ? new EncryptionInfo(SCHEME, keyId()) : null;
  }

  /**
   * Wraps the destination of a compressed stream. Closing the returned stream writes the last
   * segment and closes {@code out}. Without a key, returns {@code out} itself.
   */
  public OutputStream seal(OutputStream out, String objectKey) throws IOException {
    if (!enabled()) return out;
    Keyring r = ring();
    String keyId = r.primary();
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    out.write(MAGIC);
    out.write(id.length);
    out.write(id);
    try {
      return r.aead(keyId).newEncryptingStream(out, associatedData(keyId, objectKey));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot start encrypting " + objectKey + ": " + e.getMessage(), e);
    }
  }

  public byte[] seal(byte[] plain, String objectKey) throws IOException {
    if (!enabled()) return plain;
    var buf = new java.io.ByteArrayOutputStream(plain.length + 1024);
    try (OutputStream out = seal(buf, objectKey)) {
      out.write(plain);
    }
    return buf.toByteArray();
  }

  /**
   * Reads a stored object: decrypts it when it carries the header (refusing, with a {@link
   * StorageException} that names both keys, one written with another key or when no key is
   * configured), passes it through when it is plaintext. Tampering shows as an IOException
   * from read.
   *
   * @param what the object in words for messages, e.g. "backup 20261122T010000Z of farmtally"
   */
  public InputStream open(InputStream in, String objectKey, String what) throws IOException {
    PushbackInputStream peek = new PushbackInputStream(in, MAGIC.length);
    byte[] head = peek.readNBytes(MAGIC.length);
    if (head.length < MAGIC.length || !Arrays.equals(head, MAGIC)) {
      peek.unread(head);
      return peek;
    }
    int len = peek.read();
    byte[] id = len <= 0 ? new byte[0] : peek.readNBytes(len);
    if (len <= 0 || id.length != len) {
      throw new IOException(objectKey + " has a truncated encryption header");
    }
    String writtenWith = new String(id, StandardCharsets.US_ASCII);
    StreamingAead aead = requireKey(writtenWith, what);
    InputStream plain;
    try {
      plain = aead.newDecryptingStream(peek, associatedData(writtenWith, objectKey));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot start decrypting " + objectKey + ": " + e.getMessage(), e);
    }
    return new TamperEvidentStream(plain, objectKey);
  }

  /**
   * Turns Tink's multi-line integrity failure into one line an operator can act on; an
   * ordinary read error of the underlying stream (a dropped connection) passes unchanged, so
   * it keeps its retry meaning.
   */
  private static final class TamperEvidentStream extends java.io.FilterInputStream {
    private final String objectKey;

    TamperEvidentStream(InputStream in, String objectKey) {
      super(in);
      this.objectKey = objectKey;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw explain(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw explain(e);
      }
    }

    private IOException explain(IOException e) {
      String m = String.valueOf(e.getMessage());
      boolean integrity = e.getCause() instanceof GeneralSecurityException
          || m.contains("StreamingAeadDecryptingStream") || m.startsWith("Tag mismatch");
      if (!integrity) return e;
      return new CorruptObjectException(objectKey, e);
    }
  }

  /** A stored object whose ciphertext fails authentication: changed, damaged or cut short. */
  public static final class CorruptObjectException extends IOException {
    CorruptObjectException(String objectKey, IOException cause) {
      super(objectKey + " is corrupt: it fails the encryption's integrity check (its stored"
          + " bytes were changed, damaged or cut short)", cause);
    }
  }

  public byte[] open(byte[] stored, String objectKey, String what) throws IOException {
    try (InputStream in = open(new java.io.ByteArrayInputStream(stored), objectKey, what)) {
      return in.readAllBytes();
    }
  }

  /**
   * Refuses, before anything is downloaded or touched, an object whose manifest says it was
   * written with another key than this one (or with a key when none is configured). A manifest
   * without encryption (null) is plaintext and always readable.
   */
  public void requireReadable(EncryptionInfo recorded, String what) {
    if (recorded == null || recorded.keyId() == null) return;
    requireKey(recorded.keyId(), what);
  }

  /**
   * The key that wrote an object, from any generation in the keyset; refused in one line that
   * names the key id when it is in none of them (retired, or another repository's key).
   */
  private StreamingAead requireKey(String writtenWith, String what) {
    if (!enabled()) {
      throw new StorageException(FailureKind.ENCRYPTION_KEY_MISSING, what + " was encrypted with"
          + " key " + writtenWith + "; no repository key is configured: set"
          + " repository.encryption.keyFile (or keyEnv) to a keyset that holds it", null);
    }
    Keyring r = ring();
    StreamingAead aead = r.aeads.get(writtenWith);
    if (aead == null) {
      throw new StorageException(FailureKind.ENCRYPTION_KEY_MISSING, what + " was encrypted with"
          + " key " + writtenWith + ", which is in no loaded keyset (" + source + " holds "
          + String.join(", ", r.ids()) + "): restore that key's generation into the keyset"
          + " (a keys rotate leaves the previous file as *.bak-TIME) or point"
          + " repository.encryption at a keyset that holds it", null);
    }
    return aead;
  }

  /**
   * Reads only the header of a stored object and refuses it, before anything is touched, when
   * it was written with another key (or with a key when none is configured).
   */
  public void requireReadable(io.lifeboat.storage.ObjectStore store, String objectKey,
      String what) {
    try (InputStream in = store.get(objectKey)) {
      Optional<String> id = writtenWith(in);
      if (id.isPresent()) requireKey(id.get(), what);
    } catch (IOException e) {
      throw new StorageException(FailureKind.S3_UNAVAILABLE, "cannot read the start of "
          + objectKey + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a manifest must record about an object already stored: the key its header names (the
   * primary when it was sealed), not the primary now. A commit runs in its own activity, maybe
   * minutes after the upload; a rotation in between would otherwise record the new key for an
   * object the old one sealed, and `keys retire` would then let the old key go. Null for a
   * plaintext object.
   */
  public static EncryptionInfo infoOf(io.lifeboat.storage.ObjectStore store, String objectKey) {
    try (InputStream in = store.get(objectKey)) {
      return infoOf(in);
    } catch (IOException e) {
      throw new StorageException(FailureKind.S3_UNAVAILABLE, "cannot read the start of "
          + objectKey + ": " + e.getMessage(), e);
    }
  }

  static EncryptionInfo infoOf(InputStream stored) throws IOException {
    return writtenWith(stored).map(id -> new EncryptionInfo(SCHEME, id)).orElse(null);
  }

  /** The key id in an object's header, or empty when the object is plaintext. */
  public static Optional<String> writtenWith(InputStream in) throws IOException {
    byte[] head = in.readNBytes(MAGIC.length);
    if (!Arrays.equals(head, MAGIC)) return Optional.empty();
    int len = in.read();
    if (len <= 0) return Optional.empty();
    return Optional.of(new String(in.readNBytes(len), StandardCharsets.US_ASCII));
  }

  private static byte[] associatedData(String keyId, String objectKey) {
    return ("lifeboat-object-v1\0" + keyId + "\0" + Objects.requireNonNull(objectKey))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A stable name for one key: SHA-256 over a domain tag and the binary form of a keyset that
   * holds that key alone, enabled and primary, cut to 64 bits. For a keyset of one key (every
   * keyset made before rotation existed) that is the keyset's own binary form, so the ids
   * already in manifests and object headers keep naming the same key. One-way, so it can sit in
   * manifests, logs and reports; the same key gives the same id on every machine and in every
   * keyset it is rotated into.
   */
  static String fingerprint(Keyset.Key key) {
    byte[] alone = Keyset.newBuilder().setPrimaryKeyId(key.getKeyId())
        .addKey(key.toBuilder().setStatus(KeyStatusType.ENABLED)).build().toByteArray();
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("lifeboat repository keyset\0".getBytes(StandardCharsets.US_ASCII));
      byte[] d = sha.digest(alone);
      return "lbk-" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a new repository keyset readable by its owner only; never overwrites a key. */
  public static String generate(Path file) throws IOException, GeneralSecurityException {
    KeysetHandle handle =
        KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: the operator protects the file
    }
    return Keyring.parse(json, file.toString()).primary();
  }

  /**
   * A new generation: Tink's KeysetManager adds a fresh key to the keyset and makes it primary;
   * every older key stays in it, enabled, for reading. Returns the new keyset's JSON.
   */
  public static String rotate(String json, String source) throws GeneralSecurityException {
    KeysetHandle handle = Keyring.handle(json, source);
    java.util.Set<Integer> before = new java.util.HashSet<>();
    for (int i = 0; i < handle.size(); i++) before.add(handle.getAt(i).getId());
    KeysetManager manager = KeysetManager.withKeysetHandle(handle)
        .add(KeyTemplate.createFrom(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB));
    KeysetHandle added = manager.getKeysetHandle();
    for (int i = 0; i < added.size(); i++) {
      int id = added.getAt(i).getId();
      if (!before.contains(id)) manager.setPrimary(id);
    }
    KeysetHandle rotated = manager.getKeysetHandle();
    return TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get());
  }

  /**
   * Drops one generation (by its lbk- id) from a keyset. The primary cannot be dropped: rotate
   * first. Returns the new keyset's JSON.
   */
  public static String without(String json, String keyId, String source)
      throws GeneralSecurityException {
    Keyring r = Keyring.parse(json, source);
    Integer tinkId = r.tinkIds.get(keyId);
    if (tinkId == null) throw new IllegalArgumentException(keyId + " is not in " + source);
    if (keyId.equals(r.primary())) {
      throw new IllegalArgumentException(keyId + " is the primary key of " + source
          + ": rotate first, then retire it");
    }
    KeysetHandle smaller = KeysetManager.withKeysetHandle(Keyring.handle(json, source))
        .delete(tinkId).getKeysetHandle();
    return TinkJsonProtoKeysetFormat.serializeKeyset(smaller, InsecureSecretKeyAccess.get());
  }

  /** The generations of a keyset as {@code keys list} shows them, primary first. */
  public static List<KeyEntry> describe(String json, String source) {
    Keyring r = Keyring.parse(json, source);
    List<KeyEntry> out = new ArrayList<>();
    for (String id : r.ids()) {
      out.add(new KeyEntry(id, Integer.toUnsignedString(r.tinkIds.get(id)),
          id.equals(r.primary())));
    }
    return out;
  }

  /** One generation: our id (in headers and manifests), Tink's id in the keyset, primary. */
  public record KeyEntry(String keyId, String tinkKeyId, boolean primary) {}

  /**
   * Every key of a keyset, each with its own StreamingAead, found by our id. Sealing uses the
   * primary; opening uses the key the header names, so an object is opened by exactly the key
   * that wrote it and a missing one is named.
   */
  static final class Keyring {
    final Map<String, StreamingAead> aeads;
    final Map<String, Integer> tinkIds;
    private final String primary;
    private final List<String> ids;

    private Keyring(Map<String, StreamingAead> aeads, Map<String, Integer> tinkIds,
        String primary) {
      this.aeads = aeads;
      this.tinkIds = tinkIds;
      this.primary = primary;
      List<String> order = new ArrayList<>();
      order.add(primary);
      for (String id : aeads.keySet()) if (!id.equals(primary)) order.add(id);
      this.ids = List.copyOf(order);
    }

    String primary() {
      return primary;
    }

    List<String> ids() {
      return ids;
    }

    StreamingAead aead(String id) {
      return aeads.get(id);
    }

    static KeysetHandle handle(String json, String source) {
      try {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      } catch (GeneralSecurityException | RuntimeException e) {
        throw notAKeyset(source);
      }
    }

    static Keyring parse(String json, String source) {
      try {
        KeysetHandle handle = handle(json, source);
        Keyset keyset = Keyset.parseFrom(
            TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()),
            ExtensionRegistryLite.getEmptyRegistry());
        Map<String, StreamingAead> aeads = new LinkedHashMap<>();
        Map<String, Integer> tinkIds = new LinkedHashMap<>();
        String primary = null;
        for (Keyset.Key k : keyset.getKeyList()) {
          if (k.getStatus() != KeyStatusType.ENABLED) continue;
          String id = fingerprint(k);
          byte[] alone = Keyset.newBuilder().setPrimaryKeyId(k.getKeyId())
              .addKey(k.toBuilder().setStatus(KeyStatusType.ENABLED)).build().toByteArray();
          aeads.put(id, TinkProtoKeysetFormat.parseKeyset(alone, InsecureSecretKeyAccess.get())
              .getPrimitive(RegistryConfiguration.get(), StreamingAead.class));
          tinkIds.put(id, k.getKeyId());
          if (k.getKeyId() == keyset.getPrimaryKeyId()) primary = id;
        }
        if (primary == null) throw new GeneralSecurityException("no enabled primary key");
        return new Keyring(java.util.Collections.unmodifiableMap(aeads),
            java.util.Collections.unmodifiableMap(tinkIds), primary);
      } catch (GeneralSecurityException | IOException | RuntimeException e) {
        if (e instanceof StorageException se) throw se;
        throw notAKeyset(source);
      }
    }

    private static StorageException notAKeyset(String source) {
      return new StorageException(FailureKind.CONFIG_INVALID, source + " does not hold a Tink"
          + " streaming AEAD keyset in JSON (make one with `lifeboat keys generate --repository"
          + " FILE`)", null);
    }
  }
}
