package io.lifeboat.storage.crypt;

/**
 * How a stored object was encrypted, as its manifest records it. A manifest without one (every
 * manifest written before encryption existed) means the object is compressed plaintext.
 *
 * @param scheme the cipher and its framing, e.g. {@code tink-AES256_GCM_HKDF_1MB}
 * @param keyId a fingerprint of the repository key that wrote it (one generation of the keyset,
 *     its primary at the time; never the key itself), so a reader picks that key from the keyset
 *     and a restore without it is refused by name before a byte is downloaded
 */
public record EncryptionInfo(String scheme, String keyId) {}
