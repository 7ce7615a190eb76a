package io.lifeboat.worker.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Temporal's codec-server protocol (POST /encode and /decode with {"payloads": [...]}) so the
 * web UI, told about it with --ui-codec-endpoint, shows decrypted payloads to whoever can reach
 * this port. It listens on loopback only: the browser of an operator on this host, or a tunnel.
 */
public final class CodecServer implements AutoCloseable {
  private final HttpServer server;
  private final PayloadCodec codec;
  private final String allowedOrigin;

  public CodecServer(int port, PayloadCodec codec, String webUi) throws IOException {
    this.codec = codec;
    this.allowedOrigin = origin(webUi);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "codec-server");
      t.setDaemon(true);
      return t;
    }));
  }

  public CodecServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      var h = ex.getResponseHeaders();
      h.add("Access-Control-Allow-Origin", allowedOrigin);
      h.add("Access-Control-Allow-Methods", "POST, OPTIONS");
      h.add("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization");
      h.add("Access-Control-Allow-Credentials", "true");
      if ("OPTIONS".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(204, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      BiFunction<PayloadCodec, List<io.temporal.api.common.v1.Payload>, List<io.temporal.api.common.v1.Payload>> op;
      if (path.endsWith("/encode")) {
        op = PayloadCodec::encode;
      } else if (path.endsWith("/decode")) {
        op = PayloadCodec::decode;
      } else {
        send(ex, 404, "{\"message\":\"POST /encode or /decode\"}");
        return;
      }
      if (!"POST".equals(ex.getRequestMethod())) {
        send(ex, 405, "{\"message\":\"POST only\"}");
        return;
      }
      Payloads.Builder in = Payloads.newBuilder();
      try {
        JsonFormat.parser().ignoringUnknownFields()
            .merge(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), in);
      } catch (InvalidProtocolBufferException e) {
        send(ex, 400, "{\"message\":\"body is not {\\\"payloads\\\": [...]}\"}");
        return;
      }
      try {
        Payloads out = Payloads.newBuilder().addAllPayloads(op.apply(codec, in.getPayloadsList())).build();
        send(ex, 200, JsonFormat.printer().print(out));
      } catch (RuntimeException e) {
        // A wrong key: say so without echoing anything of the payload.
        send(ex, 422, "{\"message\":\"cannot decode with this worker's keyset\"}");
      }
    }
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static String origin(String webUi) {
    URI u = URI.create(webUi);
    return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
