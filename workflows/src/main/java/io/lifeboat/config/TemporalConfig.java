package io.lifeboat.config;

public record TemporalConfig(String address, String namespace, String taskQueue, String webUi) {
  public static final TemporalConfig DEFAULT =
      new TemporalConfig(null, null, null, null);

  public TemporalConfig {
    address = address != null ? address : "127.0.0.1:7233";
    namespace = namespace != null ? namespace : "default";
    taskQueue = taskQueue != null ? taskQueue : "lifeboat";
    webUi = webUi != null ? webUi : "http://localhost:8233";
  }
}
