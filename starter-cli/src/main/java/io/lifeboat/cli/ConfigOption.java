package io.lifeboat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --config, shared by every verb. */
public class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "estate config (default: $LIFEBOAT_CONFIG, ./lifeboat.yml, else the example)")
  Path config;

  public Path resolve(java.util.Map<String, String> env) {
    if (config != null) return config;
    String fromEnv = env.get("LIFEBOAT_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
    Path local = Path.of("lifeboat.yml");
    return Files.exists(local) ? local : Path.of("examples/farmtally/lifeboat.yml");
  }
}
