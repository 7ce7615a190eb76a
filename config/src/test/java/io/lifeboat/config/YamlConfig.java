package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The rules tests' one way in: a YAML text written into the test's directory and loaded. */
final class YamlConfig {
  /** The smallest valid config: the estate, the primary repository and one database. */
  static final String MINIMAL = """
      estate: farmtally
      repository:
        endpoint: http://127.0.0.1:9000
        bucket: farmtally-backups
        accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
      databases:
        - name: farmtally_production
          host: 127.0.0.1
          port: 55432
          user: lifeboat
      """;

  /** {@link #MINIMAL} with the repository's prefix spelled out (the copy-repository tests). */
  static final String PREFIXED = """
      estate: farmtally
      repository:
        endpoint: http://127.0.0.1:9000
        bucket: farmtally-backups
        prefix: lifeboat
        accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
      databases:
        - name: farmtally_production
          host: 127.0.0.1
          port: 55432
          user: lifeboat
      """;

  private YamlConfig() {}

  /** Writes YAML as dir/lifeboat.yml and returns the file. */
  static Path write(Path dir, String yaml) throws IOException {
    Path f = dir.resolve("lifeboat.yml");
    Files.writeString(f, yaml);
    return f;
  }

  static LifeboatConfig load(Path dir, String yaml) throws IOException {
    return new ConfigLoader().load(write(dir, yaml));
  }

  /** Asserts that YAML is refused in one line, and returns that line. */
  static String refused(Path dir, String yaml) throws IOException {
    Path f = write(dir, yaml);
    String msg = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f))
        .getMessage();
    assertEquals(1, msg.lines().count(), msg);
    return msg;
  }
}
