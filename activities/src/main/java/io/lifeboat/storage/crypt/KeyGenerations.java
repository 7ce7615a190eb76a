package io.lifeboat.storage.crypt;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplate;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetManager;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The generations of a repository keyset: a new keyset, a new primary (rotation), one
 * generation dropped, and the list {@code keys list} shows. {@link RepositoryCipher} offers
 * them under the same names.
 */
final class KeyGenerations {
  private KeyGenerations() {}

  /** Writes a new repository keyset readable by its owner only; never overwrites a key. */
  static String generate(Path file) throws IOException, GeneralSecurityException {
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
  static String rotate(String json, String source) throws GeneralSecurityException {
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
  static String without(String json, String keyId, String source)
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
  static List<RepositoryCipher.KeyEntry> describe(String json, String source) {
    Keyring r = Keyring.parse(json, source);
    List<RepositoryCipher.KeyEntry> out = new ArrayList<>();
    for (String id : r.ids()) {
      out.add(new RepositoryCipher.KeyEntry(id, Integer.toUnsignedString(r.tinkIds.get(id)),
          id.equals(r.primary())));
    }
    return out;
  }

}
