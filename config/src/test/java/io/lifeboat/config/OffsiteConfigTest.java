package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The offsite section (issue #8): optional, defaults, and each mistake named in one line. */
class OffsiteConfigTest {
  private static final String BASE = YamlConfig.PREFIXED;

  private static final String OFFSITE = """
      offsite:
        endpoint: http://127.0.0.1:9100
        bucket: farmtally-offsite
        accessKeyEnv: LIFEBOAT_OFFSITE_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_OFFSITE_SECRET_KEY
      """;

  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  private LifeboatConfig load(String yaml) throws Exception {
    return YamlConfig.load(dir, yaml);
  }

  /** An Azure primary named by its connection string has no endpoint: the S3 offsite loads. */
  @Test
  void anAzureOrGcsPrimaryWithoutEndpointTakesAnS3Offsite() throws Exception {
    String azure = BASE.replace("""
          endpoint: http://127.0.0.1:9000
        """, "  type: azure\n  azure: {connectionStringEnv: LIFEBOAT_AZURE_CONNECTION}\n")
        .replace("""
          accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
          secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
        """, "");
    LifeboatConfig c = load(azure + OFFSITE);
    assertEquals("azure", c.repository().type());
    assertNull(c.repository().endpoint());
    assertEquals("farmtally-offsite", c.offsite().bucket());
    String gcs = azure.replace("  type: azure\n  azure: {connectionStringEnv: LIFEBOAT_AZURE_CONNECTION}\n",
        "  type: gcs\n");
    assertEquals("gcs", load(gcs + OFFSITE).repository().type());
  }

  @Test
  void absentMeansNoOffsiteCopy() throws Exception {
    assertNull(load(BASE).offsite());
  }

  @Test
  void defaultsKeepThePrimarysPrefixAndVerify() throws Exception {
    OffsiteConfig o = load(BASE + OFFSITE).offsite();
    assertEquals("lifeboat", o.prefixOr("lifeboat"));
    assertEquals("lifeboat", o.asRepository("lifeboat").prefix());
    assertEquals("farmtally-offsite", o.asRepository("lifeboat").bucket());
    assertTrue(o.verifyAfterCopy());
    assertEquals(90, o.retention().days());
    assertEquals(12, o.retention().monthly());
    assertNull(o.objectLock());
  }

  @Test
  void recoveryFromTheOffsiteUsesItsBucketAndThePrimarysKey() throws Exception {
    LifeboatConfig c = load(BASE.replace("  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY\n",
        "  secretKeyEnv: LIFEBOAT_S3_SECRET_KEY\n  encryption: {keyFile: /etc/lifeboat/repo.key}\n")
        + OFFSITE);
    RepositoryConfig off = RepositoryChoice.resolve(c, "offsite");
    assertEquals("http://127.0.0.1:9100", off.endpoint());
    assertEquals("farmtally-offsite", off.bucket());
    assertEquals("lifeboat", off.prefix());
    assertEquals("LIFEBOAT_OFFSITE_ACCESS_KEY", off.accessKeyEnv());
    assertEquals("/etc/lifeboat/repo.key", off.encryption().keyFile());
    assertNull(off.localCopyDir());
    assertEquals(c.repository(), RepositoryChoice.resolve(c, "primary"));
    assertEquals(c.repository(), RepositoryChoice.resolve(c, null));
    assertEquals(java.util.List.of("primary", "offsite"), RepositoryChoice.names(c));
  }

  @Test
  void anUnknownRepositoryOrAMissingOffsiteIsOneLine() throws Exception {
    LifeboatConfig without = load(BASE);
    ConfigException e = assertThrows(ConfigException.class,
        () -> RepositoryChoice.resolve(without, "offsite"));
    assertTrue(e.getMessage().contains("no 'offsite' section"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> RepositoryChoice.resolve(load(BASE + OFFSITE), "elsewhere"));
    assertEquals("--from 'elsewhere' is not a repository of this config; it has primary,"
        + " offsite", e.getMessage());
  }

  @Test
  void walSyncMeetsTheRpoByDefault() throws Exception {
    OffsiteConfig o = load(BASE + OFFSITE).offsite();
    assertEquals(5, o.walSyncEveryMinutes(15));
    assertEquals(1, o.walSyncEveryMinutes(2));
    assertEquals(15, o.walSyncEveryMinutes(240));
    OffsiteConfig set = load(BASE + OFFSITE + "  walSyncMinutes: 7\n").offsite();
    assertEquals(7, set.walSyncEveryMinutes(15));
  }

  @Test
  void theExampleConfigsHaveOne() {
    OffsiteConfig local = loader.load(Path.of("..", "examples", "farmtally", "lifeboat.yml"))
        .offsite();
    assertEquals("http://127.0.0.1:9100", local.endpoint());
    assertEquals("GOVERNANCE", local.objectLock().mode());
    OffsiteConfig compose = loader.load(
        Path.of("..", "examples", "farmtally", "lifeboat.compose.yml")).offsite();
    assertEquals("http://minio-offsite:9000", compose.endpoint());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("the primary itself", OFFSITE.replace("9100", "9000")
            .replace("farmtally-offsite", "farmtally-backups"), "is the primary repository"),
        Arguments.of("bad bucket", OFFSITE.replace("farmtally-offsite", "Bad_Bucket"),
            "offsite.bucket"),
        Arguments.of("not a URL", OFFSITE.replace("http://127.0.0.1:9100", "ftp://x"),
            "offsite.endpoint"),
        Arguments.of("missing bucket", OFFSITE.replace("  bucket: farmtally-offsite\n", ""),
            "offsite.bucket"),
        Arguments.of("unknown key", OFFSITE + "  objectLok: {}\n", "offsite.objectLok"),
        Arguments.of("lock mode", OFFSITE + "  objectLock: {mode: STRICT, days: 7}\n",
            "offsite.objectLock.mode"),
        Arguments.of("lock longer than retention",
            OFFSITE + "  objectLock: {days: 120}\n  retention: {days: 90}\n",
            "offsite.objectLock.days"),
        Arguments.of("env name", OFFSITE.replace("LIFEBOAT_OFFSITE_SECRET_KEY", "not a var"),
            "offsite.secretKeyEnv"),
        Arguments.of("part size", OFFSITE + "  partSizeMb: 1\n", "offsite.partSizeMb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void mistakesAreOneLineNamingTheKey(String label, String offsite, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(BASE + offsite), label);
    assertTrue(e.getMessage().contains(key), label + ": " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
