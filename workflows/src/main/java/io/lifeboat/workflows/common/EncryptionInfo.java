package io.lifeboat.workflows.common;

/**
 * How a stored object was encrypted, as its manifest records it. A manifest without one (every
 * manifest written before encryption existed) means the object is compressed plaintext.
 *
 * @param scheme the cipher and its framing, e.g. {@code tink-AES256_GCM_HKDF_1MB}
 * @param keyId a fingerprint of the repository keyset that wrote it (never the key itself), so
 *     a restore with another key is refused by name before a byte is downloaded
 */
public record EncryptionInfo(String scheme, String keyId) {}
