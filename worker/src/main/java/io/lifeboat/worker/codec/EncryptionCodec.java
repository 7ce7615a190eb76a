package io.lifeboat.worker.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Encrypts every payload (workflow inputs, results, heartbeat details, query answers) before it
 * leaves the process, so Temporal's history holds only ciphertext. Payloads that are not ours
 * (written before encryption was switched on) pass through, so old runs still replay.
 */
public final class EncryptionCodec implements PayloadCodec {
  static final String ENCODING = "binary/encrypted";
  static final String KEY_ID = "encryption-key-id";
  // Binds ciphertext to its purpose: a payload blob cannot be replayed as another kind of secret.
  private static final byte[] ASSOCIATED_DATA = "lifeboat/temporal-payload/v1".getBytes(StandardCharsets.UTF_8);

  private final PayloadKeys.PayloadKey key;

  public EncryptionCodec(PayloadKeys.PayloadKey key) {
    this.key = key;
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
    try {
      return Payload.parseFrom(key.aead().decrypt(p.getData().toByteArray(), ASSOCIATED_DATA));
    } catch (GeneralSecurityException e) {
      ByteString id = p.getMetadataMap().get(KEY_ID);
      throw new PayloadCodecException("a payload encrypted with key "
          + (id == null ? "?" : id.toStringUtf8()) + " cannot be decrypted with this keyset"
          + " (primary key " + key.keyId() + "): is temporal.payloadEncryption the same as the"
          + " worker's?", e);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(e);
    }
  }
}
