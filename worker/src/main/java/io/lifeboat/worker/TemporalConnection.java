package io.lifeboat.worker;

import com.uber.m3.tally.Scope;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.TemporalConfig;
import io.lifeboat.worker.codec.EncryptionCodec;
import io.lifeboat.worker.codec.PayloadKeys;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The one way Lifeboat's processes reach Temporal, so CLI and worker agree on it: the same
 * address, TLS and, above all, the same payload codec (a CLI without the worker's key could
 * neither start a workflow the worker can read nor read its progress).
 */
public final class TemporalConnection implements AutoCloseable {
  private final TemporalConfig config;
  private final WorkflowServiceStubs stubs;
  private final DataConverter dataConverter;
  private final EncryptionCodec codec;
  private final WorkflowClient client;
  /** The CLI's own network thread, ended on close (null: gRPC's shared one, as the worker uses). */
  private final NioEventLoopGroup eventLoop;

  private TemporalConnection(TemporalConfig config, Map<String, String> env, Scope metricsScope,
      boolean shortLived) {
    this.config = config;
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.address());
    // gRPC's shared event loop outlives close() by a second, its threads waiting in native
    // epoll, and the JVM's exit waits about 300 ms for threads in native code: every CLI
    // command paid that after its work was done. A short-lived process owns one thread instead
    // and ends it in close().
    this.eventLoop = shortLived ? new NioEventLoopGroup(1,
        new DefaultThreadFactory("lifeboat-cli-grpc", true)) : null;
    java.util.function.Consumer<io.grpc.ManagedChannelBuilder<?>> channel = b -> {
      if (eventLoop != null && b instanceof NettyChannelBuilder netty) {
        netty.eventLoopGroup(eventLoop).channelType(NioSocketChannel.class);
      }
    };
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    if (config.tls() != null) {
      options.setSslContext(sslContext(config.tls()));
      if (config.tls().serverName() != null) {
        channel = channel.andThen(b -> b.overrideAuthority(config.tls().serverName()));
      }
    }
    options.setChannelInitializer(channel);
    if (config.payloadEncryption() != null) {
      codec = new EncryptionCodec(PayloadKeys.watch(config.payloadEncryption(), env));
      dataConverter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec));
    } else {
      codec = null;
      dataConverter = DefaultDataConverter.newDefaultInstance();
    }
    this.stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setNamespace(config.namespace()).setDataConverter(dataConverter).build());
  }

  /** A connection without metrics, as the CLI uses it; secrets from the process environment. */
  public static TemporalConnection open(TemporalConfig config) {
    return new TemporalConnection(config, System.getenv(), null, false);
  }

  /**
   * The CLI's connection: its payload keyset (when it comes from a variable) is read from
   * {@code env}, and it owns its network thread, so that the process can exit at once.
   */
  public static TemporalConnection open(TemporalConfig config, Map<String, String> env) {
    return new TemporalConnection(config, env, null, true);
  }

  /**
   * A connection whose client, and the workers made from it, report the SDK's metrics and the
   * workflows' own ({@code Workflow.getMetricsScope()}) into {@code metricsScope}.
   */
  public static TemporalConnection open(TemporalConfig config, Scope metricsScope) {
    return new TemporalConnection(config, System.getenv(), metricsScope, false);
  }

  private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(
      TemporalConfig.TlsConfig tls) {
    try {
      SslContextBuilder b = GrpcSslContexts.forClient();
      if (tls.caFile() != null) b.trustManager(readable(tls.caFile(), "caFile"));
      if (tls.certFile() != null) {
        b.keyManager(readable(tls.certFile(), "certFile"), readable(tls.keyFile(), "keyFile"));
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException("temporal.tls: cannot use the certificates ("
          + e.getMessage().lines().findFirst().orElse("unreadable PEM") + ")");
    }
  }

  private static File readable(String path, String key) {
    File f = new File(path);
    if (!f.canRead()) throw new ConfigException("temporal.tls." + key + ": cannot read " + path);
    return f;
  }

  public WorkflowClient client() {
    return client;
  }

  public ScheduleClient schedules() {
    return ScheduleClient.newInstance(stubs, ScheduleClientOptions.newBuilder()
        .setNamespace(config.namespace()).setDataConverter(dataConverter).build());
  }

  public TemporalConfig config() {
    return config;
  }

  /** The data converter every payload passes through (decodes heartbeat details, too). */
  public DataConverter dataConverter() {
    return dataConverter;
  }

  /** The payload codec, when payloads are encrypted; the worker serves it to the web UI. */
  public java.util.Optional<EncryptionCodec> codec() {
    return java.util.Optional.ofNullable(codec);
  }

  /** The web UI page of one workflow. */
  public String webLink(String workflowId) {
    return config.webUi() + "/namespaces/" + config.namespace() + "/workflows/" + workflowId;
  }

  @Override
  public void close() {
    if (eventLoop == null) {
      stubs.shutdown();
      return;
    }
    stubs.shutdownNow();
    stubs.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
    eventLoop.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
        .awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
