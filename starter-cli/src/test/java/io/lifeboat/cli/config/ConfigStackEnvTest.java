package io.lifeboat.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.cli.LifeboatCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `config stack-env` tells the launcher which emulators to run (issue 20): fake-gcs-server and
 * Azurite for the GCS and Azure repositories on this machine, none for the default config; the
 * S3 settings only for an S3 repository.
 */
class ConfigStackEnvTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/farmtally/lifeboat.yml");
  private static final Path CLOUDS = ROOT.resolve("examples/farmtally/lifeboat-clouds.yml");
  private static final Map<String, String> ENV = Map.of("LIFEBOAT_S3_ACCESS_KEY", "a",
      "LIFEBOAT_S3_SECRET_KEY", "b", "LIFEBOAT_OFFSITE_ACCESS_KEY", "c",
      "LIFEBOAT_OFFSITE_SECRET_KEY", "d", "LIFEBOAT_AZURE_KEY", "a2V5PQ==");

  @TempDir Path dir;

  private record Run(int code, List<String> out, String err) {}

  private static Run run(Path config) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LifeboatCli.commandLine(ENV, new PrintWriter(out, true),
        new PrintWriter(err, true)).execute("config", "stack-env", "--config", config.toString());
    return new Run(code, out.toString().lines().toList(), err.toString().trim());
  }

  private static List<String> starting(List<String> lines, String... prefixes) {
    return lines.stream().filter(l -> List.of(prefixes).stream().anyMatch(l::startsWith)).toList();
  }

  @Test
  void theDefaultStackRunsNoEmulator() {
    Run r = run(EXAMPLE);
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("REPOSITORY_TYPE=s3", "S3_ENDPOINT=http://127.0.0.1:9000", "S3_PORT=9000",
        "S3_BUCKET=farmtally-backups", "S3_REGION=us-east-1", "S3_ACCESS_KEY=a",
        "S3_SECRET_KEY=b"), starting(r.out(), "REPOSITORY_TYPE=", "REPOSITORY_SECRET_ENV=", "S3_"));
    assertEquals(List.of(), starting(r.out(), "GCS_", "AZURE_"));
  }

  @Test
  void theCloudsExampleRunsFakeGcsForThePrimaryAndAzuriteForTheOffsite() {
    Run r = run(CLOUDS);
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("REPOSITORY_TYPE=gcs", "GCS_ENDPOINT=http://127.0.0.1:4443",
        "GCS_PORT=4443", "GCS_BUCKETS=repository:farmtally-backups",
        "AZURE_ENDPOINT=http://127.0.0.1:10000", "AZURE_PORT=10000",
        "AZURE_CONTAINERS=offsite:devstoreaccount1/farmtally-offsite",
        "AZURE_ACCOUNTS=devstoreaccount1:a2V5PQ=="),
        starting(r.out(), "REPOSITORY_TYPE=", "REPOSITORY_SECRET_ENV=", "S3_", "OFFSITE_", "GCS_", "AZURE_"));
  }

  /** The clouds example with its key paths absolute and {@code from} replaced by {@code to}. */
  private Path variant(String from, String to) throws Exception {
    String text = Files.readString(CLOUDS).replace("../../.lifeboat/keys/",
        ROOT.resolve(".lifeboat/keys") + "/");
    assertTrue(text.contains(from), from);
    Path config = dir.resolve("lifeboat.yml");
    Files.writeString(config, text.replace(from, to));
    return config;
  }

  /** The clouds example with its GCS primary replaced by a local Azure one on port. */
  private Path azurePrimaryOnPort(int port) throws Exception {
    return variant("""
        repository:
          type: gcs
          endpoint: http://127.0.0.1:4443      # fake-gcs-server locally; leave out for GCS itself
          bucket: farmtally-backups
          prefix: lifeboat
          gcs:
            projectId: farmtally
        """, """
        repository:
          type: azure
          endpoint: http://127.0.0.1:%d/devstoreaccount1
          azure: {account: devstoreaccount1, accountKeyEnv: LIFEBOAT_AZURE_KEY, container: farmtally-backups}
          prefix: lifeboat
        """.formatted(port));
  }

  @Test
  void anAzurePrimaryNamesItsKeyVariableForTheWalClient() throws Exception {
    Run r = run(azurePrimaryOnPort(10000));
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("REPOSITORY_TYPE=azure", "REPOSITORY_SECRET_ENV=LIFEBOAT_AZURE_KEY",
        "AZURE_ENDPOINT=http://127.0.0.1:10000", "AZURE_PORT=10000",
        "AZURE_CONTAINERS=repository:devstoreaccount1/farmtally-backups"
            + " offsite:devstoreaccount1/farmtally-offsite",
        "AZURE_ACCOUNTS=devstoreaccount1:a2V5PQ=="),
        starting(r.out(), "REPOSITORY_TYPE=", "REPOSITORY_SECRET_ENV=", "S3_", "GCS_", "AZURE_"));
  }

  @Test
  void aRealCloudEndpointStartsNothing() throws Exception {
    Run r = run(variant("endpoint: http://127.0.0.1:4443", "endpoint: https://storage.example.com"));
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of(), starting(r.out(), "GCS_"));
  }

  @Test
  void anAzuriteEndpointWithoutTheAccountInItsPathIsRefusedInOneLine() throws Exception {
    Run r = run(variant("http://127.0.0.1:10000/devstoreaccount1", "http://127.0.0.1:10000"));
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("'offsite.endpoint' http://127.0.0.1:10000 is on this machine,"
        + " where Azurite serves the account in the path: make it"
        + " http://127.0.0.1:10000/devstoreaccount1"), r.err());
  }

  @Test
  void twoLocalAzureRepositoriesOnDifferentPortsAreRefusedInOneLine() throws Exception {
    Run r = run(azurePrimaryOnPort(10001));
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("'repository.endpoint' and 'offsite.endpoint' are both on this"
        + " machine at different addresses; the local stack runs one Azurite"), r.err());
  }
}
