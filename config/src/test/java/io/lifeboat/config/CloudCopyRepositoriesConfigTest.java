package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Copy repositories of type gcs and azure: the primary's settings and one-line errors. */
class CloudCopyRepositoriesConfigTest {
  private static final String BASE = YamlConfig.PREFIXED;

  private static final String REPOS = """
      repositories:
        - name: eu
          endpoint: http://127.0.0.1:9100
          bucket: farmtally-offsite
          accessKeyEnv: LIFEBOAT_OFFSITE_ACCESS_KEY
          secretKeyEnv: LIFEBOAT_OFFSITE_SECRET_KEY
        - name: gcp
          type: gcs
          endpoint: http://127.0.0.1:4443
          bucket: farmtally-gcs-copy
          gcs: {projectId: farmtally, credentialsFile: none}
        - name: az
          type: azure
          endpoint: http://127.0.0.1:10000/devstoreaccount1
          azure: {account: devstoreaccount1, accountKeyEnv: AZ_KEY, container: farmtally-copy}
      """;

  @TempDir Path dir;

  private LifeboatConfig load(String yaml) throws Exception {
    return YamlConfig.load(dir, yaml);
  }

  @Test
  void gcsAndAzureCopiesLoadAndBecomeTheirRepositories() throws Exception {
    LifeboatConfig c = load(BASE + REPOS);
    assertEquals(3, c.copyRepositories().size());
    OffsiteConfig gcp = c.copyRepository("gcp").orElseThrow();
    assertEquals("gcs", gcp.type());
    RepositoryConfig asRepo = gcp.asRecoveryRepository(c.repository());
    assertEquals("gcs", asRepo.type());
    assertEquals("farmtally-gcs-copy", asRepo.bucket());
    assertEquals("lifeboat", asRepo.prefix());
    assertEquals("farmtally", asRepo.gcs().projectId());
    OffsiteConfig az = c.copyRepository("az").orElseThrow();
    assertEquals("farmtally-copy", az.bucket(), "azure.container is the bucket");
    RepositoryConfig azRepo = RepositoryChoice.resolve(c, "az");
    assertEquals("azure", azRepo.type());
    assertEquals("AZ_KEY", azRepo.azure().accountKeyEnv());
    assertNull(azRepo.accessKeyEnv());
    // Through a workflow argument and back: the type and its section survive.
    ObjectMapper m = new ObjectMapper();
    assertEquals(c.offsite(), m.readValue(m.writeValueAsString(c.offsite()), OffsiteConfig.class));
    assertEquals(gcp, m.readValue(m.writeValueAsString(gcp), OffsiteConfig.class));
  }

  @Test
  void azureAccountWithoutEndpointGetsTheAccountsEndpoint() throws Exception {
    LifeboatConfig c = load(BASE + REPOS.replace(
        "    endpoint: http://127.0.0.1:10000/devstoreaccount1\n", ""));
    assertEquals("https://devstoreaccount1.blob.core.windows.net",
        c.copyRepository("az").orElseThrow().endpoint());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("unknown type", REPOS.replace("type: gcs", "type: ftp"),
            "'repositories[1].type' must be s3, gcs or azure, not 'ftp'"),
        Arguments.of("gcs without bucket", REPOS.replace("    bucket: farmtally-gcs-copy\n", ""),
            "'repositories[1].bucket' has no value"),
        Arguments.of("gcs bad bucket", REPOS.replace("farmtally-gcs-copy", "Farmtally GCS"),
            "'repositories[1].bucket' is not a valid GCS bucket name"),
        Arguments.of("gcs with S3 keys", REPOS.replace("gcs: {projectId",
            "accessKeyEnv: A\n    gcs: {projectId"),
            "'repositories[1].accessKeyEnv/secretKeyEnv' are S3 settings"),
        Arguments.of("gcs with azure section", REPOS.replace("gcs: {projectId",
            "azure: {account: a, accountKeyEnv: K}\n    gcs: {projectId"),
            "'repositories[1].azure' is set but repositories[1].type is gcs"),
        Arguments.of("azure without section", REPOS.replace(
            "    azure: {account: devstoreaccount1, accountKeyEnv: AZ_KEY, container:"
                + " farmtally-copy}\n", ""),
            "'repositories[2].azure' is missing"),
        Arguments.of("azure without key", REPOS.replace(", accountKeyEnv: AZ_KEY", ""),
            "'repositories[2].azure.accountKeyEnv' has no value"),
        Arguments.of("azure both", REPOS.replace("accountKeyEnv: AZ_KEY",
            "accountKeyEnv: AZ_KEY, connectionStringEnv: AZ_CONN"),
            "'repositories[2].azure' takes connectionStringEnv or account with accountKeyEnv"),
        Arguments.of("s3 with gcs section", REPOS.replace(
            "secretKeyEnv: LIFEBOAT_OFFSITE_SECRET_KEY\n",
            "secretKeyEnv: LIFEBOAT_OFFSITE_SECRET_KEY\n    gcs: {projectId: p}\n"),
            "'repositories[0].gcs' is set but repositories[0].type is s3"),
        Arguments.of("s3 without endpoint", REPOS.replace(
            "    endpoint: http://127.0.0.1:9100\n", ""),
            "missing key 'repositories[0].endpoint'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void mistakesAreOneLineNamingTheKey(String label, String yaml, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE + yaml), label);
    assertTrue(e.getMessage().contains(key), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void theGcsPrimaryItselfIsNoCopy() throws Exception {
    String gcsPrimary = BASE.replace("""
          endpoint: http://127.0.0.1:9000
          bucket: farmtally-backups
          prefix: lifeboat
          accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
          secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
        """, """
          type: gcs
          endpoint: http://127.0.0.1:4443
          bucket: farmtally-gcs-copy
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> load(gcsPrimary + REPOS));
    assertTrue(e.getMessage().contains("'repositories[1]' is the primary repository itself"),
        e.getMessage());
  }
}
