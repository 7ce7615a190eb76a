package io.lifeboat.worker.codec;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
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
import java.util.Map;

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
    try {
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
      return new PayloadKey(aead, Integer.toUnsignedString(handle.getPrimary().getId()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ConfigException("temporal.payloadEncryption: " + source
          + " does not hold a Tink AEAD keyset in JSON");
    }
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

  /** An AEAD and the id of the key it encrypts with (recorded beside each payload). */
  public record PayloadKey(Aead aead, String keyId) {}
}
