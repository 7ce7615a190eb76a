package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

/**
 * The checks of the keys and certificates the file names: the repository's encryption key and
 * Temporal's payload encryption and mTLS, each given one way only.
 */
final class EncryptionRules {
  private EncryptionRules() {}

  static void validateRepository(String where, RepositoryConfig r) {
    RepositoryConfig.EncryptionConfig e = r.encryption();
    if (e == null) return;
    if ((e.keyFile() == null) == (e.keyEnv() == null)) {
      throw new ConfigException(where + ": 'repository.encryption' needs exactly one of keyFile"
          + " or keyEnv (a Tink streaming keyset: `lifeboat keys generate --repository FILE`)");
    }
    if (e.keyEnv() != null) {
      requireEnvName(where, "repository.encryption.keyEnv", e.keyEnv());
    } else if (e.keyFile().isBlank()) {
      throw new ConfigException(where + ": 'repository.encryption.keyFile' is empty");
    }
  }

  static void validateTemporal(String where, TemporalConfig t) {
    TemporalConfig.PayloadEncryptionConfig pe = t.payloadEncryption();
    if (pe != null) {
      if ((pe.keysetFile() == null) == (pe.keysetEnv() == null)) {
        throw new ConfigException(where + ": 'temporal.payloadEncryption' needs exactly one of"
            + " keysetFile or keysetEnv");
      }
      if (pe.keysetEnv() != null) {
        requireEnvName(where, "temporal.payloadEncryption.keysetEnv", pe.keysetEnv());
      }
      if (pe.codecServerPort() != 0) {
        requirePort(where, "temporal.payloadEncryption.codecServerPort", pe.codecServerPort());
      }
    }
    TemporalConfig.TlsConfig tls = t.tls();
    if (tls != null && (tls.certFile() == null) != (tls.keyFile() == null)) {
      throw new ConfigException(where + ": 'temporal.tls' needs both certFile and keyFile for"
          + " mTLS, or neither");
    }
  }
}
