package io.lifeboat.worker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.lifeboat.config.TemporalConfig.PayloadEncryptionConfig;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's side of the protocol, spoken over a real socket. */
class CodecServerTest {
  @TempDir Path dir;

  @Test
  void decodesWhatTheWorkerEncodedAndAnswersThePreflight() throws Exception {
    Path file = dir.resolve("k.json");
    PayloadKeys.generate(file);
    EncryptionCodec codec = new EncryptionCodec(
        PayloadKeys.load(new PayloadEncryptionConfig(file.toString(), null, null), Map.of()));
    var plain = DefaultDataConverter.newDefaultInstance().toPayload("db-primary.internal").orElseThrow();
    String body = JsonFormat.printer().print(Payloads.newBuilder()
        .addAllPayloads(codec.encode(List.of(plain))).build());
    HttpClient http = HttpClient.newHttpClient();
    try (CodecServer server = new CodecServer(0, codec, "http://localhost:8233").start()) {
      URI base = URI.create("http://127.0.0.1:" + server.port());
      HttpResponse<String> pre = http.send(HttpRequest.newBuilder(base.resolve("/decode"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(204, pre.statusCode());
      assertEquals("http://localhost:8233",
          pre.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

      HttpResponse<String> dec = http.send(HttpRequest.newBuilder(base.resolve("/decode"))
          .header("Content-Type", "application/json").header("X-Namespace", "default")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, dec.statusCode(), dec.body());
      Payloads.Builder out = Payloads.newBuilder();
      JsonFormat.parser().merge(dec.body(), out);
      assertEquals(plain, out.getPayloads(0));

      HttpResponse<String> junk = http.send(HttpRequest.newBuilder(base.resolve("/decode"))
          .POST(HttpRequest.BodyPublishers.ofString("not json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, junk.statusCode());
      assertTrue(junk.body().contains("payloads"), junk.body());
    }
  }
}
