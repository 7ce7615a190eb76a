package io.lifeboat.storage.crypt;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.KeyStatusType;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;

/**
 * Every key of a keyset, each with its own StreamingAead, found by our id. Sealing uses the
 * primary; opening uses the key the header names, so an object is opened by exactly the key
 * that wrote it and a missing one is named.
 */
final class Keyring {
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
}
