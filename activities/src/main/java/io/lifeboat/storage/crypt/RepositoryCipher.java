package io.lifeboat.storage.crypt;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
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

  /** Writes a new repository keyset readable by its owner only; never overwrites a key. */
  public static String generate(Path file) throws IOException, GeneralSecurityException {
    return KeyGenerations.generate(file);
  }

  /**
   * A new generation: a fresh key, made primary; every older key stays in the keyset, enabled,
   * for reading. Returns the new keyset's JSON.
   */
  public static String rotate(String json, String source) throws GeneralSecurityException {
    return KeyGenerations.rotate(json, source);
  }

  /** Drops one generation (by its lbk- id); never the primary. Returns the new keyset's JSON. */
  public static String without(String json, String keyId, String source)
      throws GeneralSecurityException {
    return KeyGenerations.without(json, keyId, source);
  }

  /** The generations of a keyset as {@code keys list} shows them, primary first. */
  public static List<KeyEntry> describe(String json, String source) {
    return KeyGenerations.describe(json, source);
  }

  /** One generation: our id (in headers and manifests), Tink's id in the keyset, primary. */
  public record KeyEntry(String keyId, String tinkKeyId, boolean primary) {}
}
