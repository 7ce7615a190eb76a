package io.lifeboat.worker.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.TemporalConfig.PayloadEncryptionConfig;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionCodecTest {
  @TempDir Path dir;

  record Target(String host, String dataDirectory) {}

  private PayloadKeys.PayloadKey key(String name) throws Exception {
    Path file = dir.resolve(name + ".json");
    PayloadKeys.generate(file);
    return PayloadKeys.load(new PayloadEncryptionConfig(file.toString(), null, null), Map.of());
  }

  private static String bytes(Payload p) {
    return new String(p.getData().toByteArray(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void historyHoldsCiphertextAndTheWorkerReadsItBack() throws Exception {
    var converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new EncryptionCodec(key("k"))));
    Target secret = new Target("db-primary.farmtally.internal", "/var/lib/postgresql/15/main");
    Payload stored = converter.toPayload(secret).orElseThrow();
    assertEquals(EncryptionCodec.ENCODING, stored.getMetadataOrThrow("encoding").toStringUtf8());
    assertFalse(bytes(stored).contains("farmtally"), "no plaintext in the stored payload");
    assertFalse(bytes(stored).contains("/var/lib"), "no plaintext in the stored payload");
    assertEquals(secret, converter.fromPayload(stored, Target.class, Target.class));
  }

  @Test
  void plainPayloadsFromBeforeEncryptionStillDecode() throws Exception {
    Payload plain = DefaultDataConverter.newDefaultInstance().toPayload("old run").orElseThrow();
    EncryptionCodec codec = new EncryptionCodec(key("k"));
    assertEquals(List.of(plain), codec.decode(List.of(plain)));
  }

  @Test
  void anotherKeyCannotReadAndSaysWhichKey() throws Exception {
    EncryptionCodec mine = new EncryptionCodec(key("mine"));
    PayloadKeys.PayloadKey theirs = key("theirs");
    Payload enc = mine.encode(List.of(DefaultDataConverter.newDefaultInstance()
        .toPayload("x").orElseThrow())).get(0);
    PayloadCodecException e = assertThrows(PayloadCodecException.class,
        () -> new EncryptionCodec(theirs).decode(List.of(enc)));
    assertTrue(e.getMessage().startsWith("ENCRYPTION_KEY_MISSING: a payload encrypted with"
        + " payload key " + enc.getMetadataOrThrow(EncryptionCodec.KEY_ID).toStringUtf8()
        + ", which is in no loaded keyset (keyset file " + dir.resolve("theirs.json") + " holds "
        + theirs.keyId() + ")"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void aFlippedCiphertextByteIsRefused() throws Exception {
    EncryptionCodec codec = new EncryptionCodec(key("k"));
    Payload enc = codec.encode(List.of(DefaultDataConverter.newDefaultInstance()
        .toPayload("x").orElseThrow())).get(0);
    byte[] data = enc.getData().toByteArray();
    data[data.length / 2] ^= 0x01;
    Payload flipped = enc.toBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build();
    assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(flipped)));
  }

  @Test
  void keysetFromAVariable() throws Exception {
    Path file = dir.resolve("k.json");
    PayloadKeys.generate(file);
    String json = Files.readString(file);
    var key = PayloadKeys.load(new PayloadEncryptionConfig(null, "LB_KEYSET", null),
        Map.of("LB_KEYSET", json));
    Payload p = new EncryptionCodec(key).encode(List.of(Payload.getDefaultInstance())).get(0);
    assertArrayEquals(Payload.getDefaultInstance().toByteArray(),
        new EncryptionCodec(key).decode(List.of(p)).get(0).toByteArray());
  }

  @Test
  void missingOrMalformedKeysAreOneLineConfigErrors() throws Exception {
    ConfigException unset = assertThrows(ConfigException.class, () -> PayloadKeys.load(
        new PayloadEncryptionConfig(null, "LB_KEYSET", null), Map.of()));
    assertTrue(unset.getMessage().contains("LB_KEYSET is not set"), unset.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> PayloadKeys.load(
        new PayloadEncryptionConfig(dir.resolve("none.json").toString(), null, null), Map.of()));
    assertTrue(missing.getMessage().contains("cannot read keyset file"), missing.getMessage());
    Files.writeString(dir.resolve("bad.json"), "{\"not\": \"a keyset\"}");
    ConfigException bad = assertThrows(ConfigException.class, () -> PayloadKeys.load(
        new PayloadEncryptionConfig(dir.resolve("bad.json").toString(), null, null), Map.of()));
    assertTrue(bad.getMessage().contains("does not hold a Tink AEAD keyset"), bad.getMessage());
    for (ConfigException e : List.of(unset, missing, bad)) {
      assertEquals(1, e.getMessage().lines().count());
      assertFalse(e.getMessage().contains("{"), "never echoes key material: " + e.getMessage());
    }
  }

  @Test
  void generatedKeysAreOwnerOnlyAndNeverOverwritten() throws Exception {
    Path file = dir.resolve("keys/payload.json");
    PayloadKeys.generate(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String before = Files.readString(file);
    assertThrows(FileAlreadyExistsException.class, () -> PayloadKeys.generate(file));
    assertEquals(before, Files.readString(file));
    assertTrue(Optional.of(before).get().contains("AesGcmKey"), "a Tink AES-GCM keyset");
  }
}
