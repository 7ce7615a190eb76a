package io.lifeboat.config;

public record MetricsConfig(Integer port) {
  public static final MetricsConfig DEFAULT = new MetricsConfig(null);

  public MetricsConfig {
    port = port != null ? port : 9464;
  }
}
