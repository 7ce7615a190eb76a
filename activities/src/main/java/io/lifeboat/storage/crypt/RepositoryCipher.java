package io.lifeboat.storage.crypt;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.lifeboat.storage.StorageException;
import io.lifeboat.workflows.common.EncryptionInfo;
import io.lifeboat.workflows.common.FailureKind;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-side encryption of stored objects: Tink's StreamingAead (AES-256-GCM-HKDF, 1 MiB
 * segments), so memory stays constant however large the object. Callers compress first and
 * seal the compressed stream (ciphertext does not compress).
 *
 * <p>Stored form: {@code "LBX1" | len | keyId | Tink ciphertext}. The key id in the clear lets
 * a reader say "written with key K1, you hold K2" instead of a bare authentication failure, and
 * lets a repository hold plaintext objects from before encryption was switched on (they have no
 * such header and are read as they are). The associated data binds the ciphertext to the key id
 * and to the object key, so an object copied over another one (an old dump over a new one, one
 * WAL segment over another) fails authentication instead of restoring the wrong data.
 *
 * <p>One instance per keyset; thread-safe (Tink primitives are).
 */
public final class RepositoryCipher {
  public static final String SCHEME = "tink-AES256_GCM_HKDF_1MB";
  static final byte[] MAGIC = "LBX1".getBytes(StandardCharsets.US_ASCII);
  private static final RepositoryCipher NONE = new RepositoryCipher(null, null, null);

  static {
    try {
      StreamingAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final StreamingAead aead;
  private final String keyId;
  private final String source;

  private RepositoryCipher(StreamingAead aead, String keyId, String source) {
    this.aead = aead;
    this.keyId = keyId;
    this.source = source;
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
    try {
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json,
          InsecureSecretKeyAccess.get());
      StreamingAead aead = handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
      return new RepositoryCipher(aead, fingerprint(handle), source);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new StorageException(FailureKind.CONFIG_INVALID, source + " does not hold a Tink"
          + " streaming AEAD keyset in JSON (make one with `lifeboat keys generate --repository"
          + " FILE`)", null);
    }
  }

  public boolean enabled() {
    return aead != null;
  }

  /** The fingerprint of the keyset, or null when encryption is off. */
  public String keyId() {
    return keyId;
  }

  /** What a manifest records about objects written through this cipher; null when off. */
  public EncryptionInfo info() {
    return enabled() ? new EncryptionInfo(SCHEME, keyId) : null;
  }

  /**
   * Wraps the destination of a compressed stream. Closing the returned stream writes the last
   * segment and closes {@code out}. Without a key, returns {@code out} itself.
   */
  public OutputStream seal(OutputStream out, String objectKey) throws IOException {
    if (!enabled()) return out;
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    out.write(MAGIC);
    out.write(id.length);
    out.write(id);
    try {
      return aead.newEncryptingStream(out, associatedData(keyId, objectKey));
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
    requireKey(writtenWith, what);
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

  private void requireKey(String writtenWith, String what) {
    if (!enabled()) {
      throw new StorageException(FailureKind.ENCRYPTION_KEY_MISSING, what + " was encrypted with"
          + " key " + writtenWith + "; no repository key is configured: set"
          + " repository.encryption.keyFile (or keyEnv) to the key that wrote it", null);
    }
    if (!writtenWith.equals(keyId)) {
      throw new StorageException(FailureKind.ENCRYPTION_KEY_MISMATCH, what + " was encrypted with"
          + " key " + writtenWith + "; the configured key is " + keyId + " (" + source + "): set"
          + " repository.encryption.keyFile (or keyEnv) to the key that wrote it", null);
    }
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
   * A stable name for the keyset: SHA-256 over a domain tag and the keyset's canonical binary
   * form, cut to 64 bits. One-way, so it can sit in manifests, logs and reports; the same
   * keyset file gives the same id on every machine.
   */
  static String fingerprint(KeysetHandle handle) throws GeneralSecurityException {
    byte[] keyset = TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("lifeboat repository keyset\0".getBytes(StandardCharsets.US_ASCII));
      byte[] d = sha.digest(keyset);
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
    return fingerprint(handle);
  }
}
