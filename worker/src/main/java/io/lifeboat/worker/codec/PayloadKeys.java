package io.lifeboat.worker.codec;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplate;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetManager;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.TemporalConfig.PayloadEncryptionConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The payload key: a Tink AEAD keyset in JSON. Tink does the cryptography and the key rotation
 * (a keyset may hold old keys for decrypting and one primary for encrypting); this class only
 * finds the keyset where the config says and makes new ones.
 */
public final class PayloadKeys {
  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private PayloadKeys() {}

  /**
   * The keyset the config names, re-read whenever its file changes (size, time or inode), so a
   * running worker and its codec server encrypt with a rotated primary and decode the new
   * generation without a restart. A keyset from a variable is read once. A file that cannot be
   * read or parsed later keeps the keys already loaded (the first load must succeed).
   */
  public static Supplier<PayloadKey> watch(PayloadEncryptionConfig config,
      Map<String, String> env) {
    PayloadKey first = load(config, env);
    if (config.keysetEnv() != null) return () -> first;
    Path file = Path.of(config.keysetFile());
    return new Supplier<>() {
      private Object stamp = stamp(file);
      private volatile PayloadKey current = first;

      @Override
      public PayloadKey get() {
        Object now = stamp(file);
        if (now == null || now.equals(stamp)) return current;
        synchronized (this) {
          if (!now.equals(stamp)) {
            try {
              current = load(config, env);
            } catch (ConfigException keepWhatWorks) {
              // half-edited or unreadable: keep the loaded keys; `keys list` shows the file
            }
            stamp = now;
          }
          return current;
        }
      }
    };
  }

  private static Object stamp(Path file) {
    try {
      var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      return List.of(a.size(), a.lastModifiedTime().toMillis(), String.valueOf(a.fileKey()));
    } catch (IOException e) {
      return null;
    }
  }

  /** The AEAD the config names; a one-line {@link ConfigException} if it cannot be had. */
  public static PayloadKey load(PayloadEncryptionConfig config, Map<String, String> env) {
    String json;
    String source;
    if (config.keysetEnv() != null) {
      source = "environment variable " + config.keysetEnv();
      json = env.get(config.keysetEnv());
      if (json == null || json.isBlank()) {
        throw new ConfigException("temporal.payloadEncryption: " + source + " is not set (it must"
            + " hold the keyset JSON; make one with `lifeboat keys generate FILE`)");
      }
    } else {
      Path file = Path.of(config.keysetFile());
      source = "keyset file " + file;
      try {
        json = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("temporal.payloadEncryption: cannot read " + source + " ("
            + e.getClass().getSimpleName() + "); make one with `lifeboat keys generate " + file + "`");
      }
    }
    return parse(json, source);
  }

  /** A keyset in JSON; a one-line {@link ConfigException} naming {@code source} otherwise. */
  public static PayloadKey parse(String json, String source) {
    try {
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
      List<String> ids = new ArrayList<>();
      String primary = Integer.toUnsignedString(handle.getPrimary().getId());
      ids.add(primary);
      for (int i = 0; i < handle.size(); i++) {
        String id = Integer.toUnsignedString(handle.getAt(i).getId());
        if (!id.equals(primary)) ids.add(id);
      }
      return new PayloadKey(aead, primary, List.copyOf(ids), source);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ConfigException("temporal.payloadEncryption: " + source
          + " does not hold a Tink AEAD keyset in JSON");
    }
  }

  /**
   * A new generation: Tink's KeysetManager adds a fresh AES-256-GCM key and makes it primary;
   * older keys stay enabled, so histories they encrypted still decode (Tink picks the key by
   * the 5-byte prefix of each ciphertext). Returns the new keyset's JSON.
   */
  public static String rotate(String json, String source) throws GeneralSecurityException {
    KeysetHandle handle;
    try {
      handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ConfigException("temporal.payloadEncryption: " + source
          + " does not hold a Tink AEAD keyset in JSON");
    }
    java.util.Set<Integer> before = new java.util.HashSet<>();
    for (int i = 0; i < handle.size(); i++) before.add(handle.getAt(i).getId());
    KeysetManager manager = KeysetManager.withKeysetHandle(handle)
        .add(KeyTemplate.createFrom(PredefinedAeadParameters.AES256_GCM));
    KeysetHandle added = manager.getKeysetHandle();
    for (int i = 0; i < added.size(); i++) {
      if (!before.contains(added.getAt(i).getId())) manager.setPrimary(added.getAt(i).getId());
    }
    return TinkJsonProtoKeysetFormat.serializeKeyset(manager.getKeysetHandle(),
        InsecureSecretKeyAccess.get());
  }

  /** Writes a new AES-256-GCM keyset readable by its owner only; never overwrites a key. */
  public static String generate(Path file) throws IOException, GeneralSecurityException {
    KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
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
    return Integer.toUnsignedString(handle.getPrimary().getId());
  }

  /**
   * An AEAD over a whole keyset, the id of the key it encrypts with (recorded beside each
   * payload), every key id it can decrypt (primary first) and where it came from (never the key).
   */
  public record PayloadKey(Aead aead, String keyId, List<String> keyIds, String source) {}
}
