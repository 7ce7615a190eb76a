package io.lifeboat.worker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.lifeboat.config.TemporalConfig.PayloadEncryptionConfig;
import io.lifeboat.storage.crypt.KeysetFiles;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated payload keyset still decodes what older generations wrote: a workflow history
 * recorded under the first key replays under the third, the codec server decodes it for the web
 * UI, and a keyset without that generation is refused in one line naming the key.
 */
class PayloadKeyRotationTest {
  @TempDir Path dir;

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String echo(String secret);
  }

  public static class EchoImpl implements Echo {
    @Override
    public String echo(String secret) {
      return "seen " + secret;
    }
  }

  private static DataConverter converter(PayloadKeys.PayloadKey key) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new EncryptionCodec(key)));
  }

  private static TestWorkflowEnvironment env(PayloadKeys.PayloadKey key) {
    return TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(converter(key)).build()).build());
  }

  private static WorkflowExecutionHistory record(PayloadKeys.PayloadKey key) {
    try (TestWorkflowEnvironment env = env(key)) {
      Worker w = env.newWorker("rot");
      w.registerWorkflowImplementationTypes(EchoImpl.class);
      env.start();
      Echo stub = env.getWorkflowClient().newWorkflowStub(Echo.class,
          WorkflowOptions.newBuilder().setTaskQueue("rot").setWorkflowId("echo-1").build());
      assertEquals("seen db-primary.internal", stub.echo("db-primary.internal"));
      return env.getWorkflowClient().fetchHistory("echo-1");
    }
  }

  private static void replay(WorkflowExecutionHistory h, PayloadKeys.PayloadKey key)
      throws Exception {
    try (TestWorkflowEnvironment env = env(key)) {
      Worker w = env.newWorker("rot");
      w.registerWorkflowImplementationTypes(EchoImpl.class);
      WorkflowReplayer.replayWorkflowExecution(h, w);
    }
  }

  @Test
  void historiesOfEveryGenerationReplayAndDecode() throws Exception {
    Path file = dir.resolve("payload.json");
    String id1 = PayloadKeys.generate(file);
    String gen1 = Files.readString(file);
    PayloadKeys.PayloadKey k1 = PayloadKeys.parse(gen1, "gen1");
    WorkflowExecutionHistory underGen1 = record(k1);
    Payload input = underGen1.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
        .getInput().getPayloads(0);
    assertEquals(EncryptionCodec.ENCODING, input.getMetadataOrThrow("encoding").toStringUtf8());
    assertEquals(id1, input.getMetadataOrThrow(EncryptionCodec.KEY_ID).toStringUtf8());
    assertTrue(!underGen1.toJson(false).contains("db-primary"), "no plaintext in the history");

    String gen3 = PayloadKeys.rotate(PayloadKeys.rotate(gen1, "gen1"), "gen2");
    PayloadKeys.PayloadKey k3 = PayloadKeys.parse(gen3, "gen3");
    assertEquals(3, k3.keyIds().size());
    assertNotEquals(id1, k3.keyId());
    assertTrue(k3.keyIds().contains(id1), "the first key is still in the keyset");

    replay(underGen1, k3); // decodes gen1's payloads with the gen3 keyset

    // What gen3 encrypts carries gen3's key id; the codec server decodes both generations.
    Payload plain = DefaultDataConverter.newDefaultInstance().toPayload("x").orElseThrow();
    Payload new3 = new EncryptionCodec(k3).encode(List.of(plain)).get(0);
    assertEquals(k3.keyId(), new3.getMetadataOrThrow(EncryptionCodec.KEY_ID).toStringUtf8());
    Payload old1 = new EncryptionCodec(k1).encode(List.of(plain)).get(0);
    String body = JsonFormat.printer().print(Payloads.newBuilder()
        .addPayloads(old1).addPayloads(new3).build());
    try (CodecServer server = new CodecServer(0, new EncryptionCodec(k3),
        "http://localhost:8233").start()) {
      HttpResponse<String> dec = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/decode"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, dec.statusCode(), dec.body());
      Payloads.Builder out = Payloads.newBuilder();
      JsonFormat.parser().merge(dec.body(), out);
      assertEquals(List.of(plain, plain), out.getPayloadsList());
    }

    // Negative control: a keyset without the first generation cannot replay that history.
    PayloadKeys.PayloadKey other = PayloadKeys.parse(
        Files.readString(generate(dir.resolve("other.json"))), "other");
    PayloadCodecException e = assertThrows(PayloadCodecException.class,
        () -> new EncryptionCodec(other).decode(List.of(old1)));
    assertTrue(e.getMessage().contains("payload key " + id1 + ", which is in no loaded keyset"),
        e.getMessage());
    assertThrows(Exception.class, () -> replay(underGen1, other));
  }

  private static Path generate(Path f) throws Exception {
    PayloadKeys.generate(f);
    return f;
  }

  @Test
  void aRunningWorkerPicksUpTheRotatedFile() throws Exception {
    Path file = dir.resolve("payload.json");
    String id1 = PayloadKeys.generate(file);
    Supplier<PayloadKeys.PayloadKey> watched = PayloadKeys.watch(
        new PayloadEncryptionConfig(file.toString(), null, null), Map.of());
    EncryptionCodec codec = new EncryptionCodec(watched);
    Payload plain = DefaultDataConverter.newDefaultInstance().toPayload("x").orElseThrow();
    Payload before = codec.encode(List.of(plain)).get(0);
    assertEquals(id1, before.getMetadataOrThrow(EncryptionCodec.KEY_ID).toStringUtf8());

    KeysetFiles.replace(file, PayloadKeys.rotate(Files.readString(file), "f"), Instant.now());
    Payload after = codec.encode(List.of(plain)).get(0);
    String id2 = after.getMetadataOrThrow(EncryptionCodec.KEY_ID).toStringUtf8();
    assertNotEquals(id1, id2, "encrypts with the new primary without a restart");
    assertEquals(List.of(plain, plain), codec.decode(List.of(before, after)));
  }
}
