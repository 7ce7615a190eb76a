package io.lifeboat.config;

/**
 * How Lifeboat's processes reach Temporal.
 *
 * @param tls TLS (and mTLS with a client certificate) for a Temporal that is not on loopback
 * @param payloadEncryption encrypts workflow inputs and results before they reach Temporal, so
 *     host names, paths and targets are not readable in its history
 */
public record TemporalConfig(
    String address,
    String namespace,
    String taskQueue,
    String webUi,
    TlsConfig tls,
    PayloadEncryptionConfig payloadEncryption) {
  public static final TemporalConfig DEFAULT =
      new TemporalConfig(null, null, null, null, null, null);

  public TemporalConfig {
    address = address != null ? address : "127.0.0.1:7233";
    namespace = namespace != null ? namespace : "default";
    taskQueue = taskQueue != null ? taskQueue : "lifeboat";
    webUi = webUi != null ? webUi : "http://localhost:8233";
  }

  /**
   * PEM files; the CA alone gives server-verified TLS, a certificate and key add mTLS.
   *
   * @param serverName the name the server's certificate carries, when the address differs
   */
  public record TlsConfig(String caFile, String certFile, String keyFile, String serverName) {}

  /**
   * A Tink AEAD keyset (JSON) held in a file or in an environment variable: never in this file.
   *
   * @param codecServerPort where the worker serves /encode and /decode for the web UI (on
   *     loopback), so an operator who can reach the worker reads decoded payloads; 0 = off
   */
  public record PayloadEncryptionConfig(String keysetFile, String keysetEnv, Integer codecServerPort) {
    public PayloadEncryptionConfig {
      codecServerPort = codecServerPort != null ? codecServerPort : 0;
    }
  }
}
