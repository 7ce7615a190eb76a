package io.lifeboat.config;

/** zstd settings; workers &gt; 1 compresses on several cores, which is where pg_dump -Fc loses. */
public record CompressionConfig(Integer level, Integer workers) {
  public static final CompressionConfig DEFAULT = new CompressionConfig(null, null);

  public CompressionConfig {
    level = level != null ? level : 3;
    workers = workers != null ? workers : 2;
  }
}
