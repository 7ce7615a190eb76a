package io.lifeboat.worker.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Encrypts every payload (workflow inputs, results, heartbeat details, query answers) before it
 * leaves the process, so Temporal's history holds only ciphertext. Payloads that are not ours
 * (written before encryption was switched on) pass through, so old runs still replay.
 */
public final class EncryptionCodec implements PayloadCodec {
  /** The encoding an encrypted payload carries (what a client without the key cannot read). */
  public static final String ENCODING = "binary/encrypted";
  static final String KEY_ID = "encryption-key-id";
  // Binds ciphertext to its purpose: a payload blob cannot be replayed as another kind of secret.
  private static final byte[] ASSOCIATED_DATA = "lifeboat/temporal-payload/v1".getBytes(StandardCharsets.UTF_8);

  private final Supplier<PayloadKeys.PayloadKey> keys;

  public EncryptionCodec(PayloadKeys.PayloadKey key) {
    this(() -> key);
  }

  /** With keys that may change while the process runs ({@link PayloadKeys#watch}). */
  public EncryptionCodec(Supplier<PayloadKeys.PayloadKey> keys) {
    this.keys = keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload p) {
    PayloadKeys.PayloadKey key = keys.get();
    try {
      return Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
          .putMetadata(KEY_ID, ByteString.copyFromUtf8(key.keyId()))
          .setData(ByteString.copyFrom(key.aead().encrypt(p.toByteArray(), ASSOCIATED_DATA)))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }

  private Payload decrypt(Payload p) {
    ByteString encoding = p.getMetadataMap().get("encoding");
    if (encoding == null || !ENCODING.equals(encoding.toStringUtf8())) return p;
    PayloadKeys.PayloadKey key = keys.get();
    try {
      return Payload.parseFrom(key.aead().decrypt(p.getData().toByteArray(), ASSOCIATED_DATA));
    } catch (GeneralSecurityException e) {
      ByteString meta = p.getMetadataMap().get(KEY_ID);
      String id = meta == null ? "?" : meta.toStringUtf8();
      if (!key.keyIds().contains(id)) {
        // ENCRYPTION_KEY_MISSING: the generation that wrote it is not in the keyset we hold.
        throw new PayloadCodecException("ENCRYPTION_KEY_MISSING: a payload encrypted with payload"
            + " key " + id + ", which is in no loaded keyset (" + key.source() + " holds "
            + String.join(", ", key.keyIds()) + "): put that key's generation back into"
            + " temporal.payloadEncryption (a keys rotate leaves the previous file as"
            + " *.bak-TIME), or use the same keyset as the worker", e);
      }
      throw new PayloadCodecException("a payload encrypted with key " + id + " fails"
          + " authentication with that key (" + key.source() + "): its bytes were changed", e);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(e);
    }
  }
}
