package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loader's contract: the example estate loads as written, and every mistake an operator
 * can make becomes one line that names the file and the key to fix.
 */
class ConfigLoaderTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "farmtally", "lifeboat.yml");

  /** The smallest valid file; every bad case below is this with one mistake in it. */
  private static final String BASE = """
      estate: farmtally
      repository:
        endpoint: http://127.0.0.1:9000
        bucket: farmtally-backups
        accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
        partSizeMb: 16
      databases:
        - name: farmtally_production
          host: 127.0.0.1
          port: 55432
          user: lifeboat
          passwordEnv: LIFEBOAT_PG_PASSWORD
      retention:
        fullDays: 30
      """;

  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void theExampleEstateLoadsAsWritten() {
    LifeboatConfig c = loader.load(EXAMPLE);

    assertEquals("farmtally", c.estate());
    assertEquals("127.0.0.1:7233", c.temporal().address());
    assertEquals("default", c.temporal().namespace());
    assertEquals("lifeboat", c.temporal().taskQueue());
    assertEquals("http://localhost:8233", c.temporal().webUi());

    RepositoryConfig r = c.repository();
    assertEquals("http://127.0.0.1:9000", r.endpoint());
    assertEquals("farmtally-backups", r.bucket());
    assertEquals("lifeboat", r.prefix());
    assertEquals("us-east-1", r.region());
    assertEquals(Boolean.TRUE, r.pathStyle());
    assertEquals("LIFEBOAT_S3_ACCESS_KEY", r.accessKeyEnv());
    assertEquals("LIFEBOAT_S3_SECRET_KEY", r.secretKeyEnv());
    assertEquals("none", r.serverSideEncryption());
    assertEquals("STANDARD", r.storageClass());
    assertEquals(16, r.partSizeMb());
    assertEquals(0, r.maxUploadMbPerSecond());
    // Relative local paths are resolved once, against the directory the command runs in.
    assertEquals(Path.of(".lifeboat/local-copies").toAbsolutePath().normalize().toString(),
        r.localCopyDir());

    assertEquals(1, c.databases().size());
    DatabaseConfig db = c.database("farmtally_production").orElseThrow();
    assertEquals("127.0.0.1", db.host());
    assertEquals(55432, db.port());
    assertEquals("lifeboat", db.user());
    assertEquals("LIFEBOAT_PG_PASSWORD", db.passwordEnv());
    assertEquals("0 2 * * *", db.backupSchedule());
    assertEquals(3, db.validation().size());
    assertEquals("users present", db.validation().get(0).name());
    assertEquals("select count(*) from users", db.validation().get(0).sql());
    assertEquals(1L, db.validation().get(0).minimum());
    assertEquals("select count(*) from tallies", db.validation().get(1).sql());
    assertEquals(Boolean.TRUE, db.validation().get(2).notAfterTarget());
    assertEquals(Boolean.FALSE, db.validation().get(0).notAfterTarget());
    assertEquals("postgres", db.recovery().osUser());
    assertEquals(null, db.recovery().dataDirectory());
    assertEquals(0, db.recovery().downloadMbPerSecond());
    assertTrue(c.database("nope").isEmpty());

    assertEquals(30, c.retention().fullDays());
    assertEquals("UTC", c.schedules().timezone());
    assertEquals(60, c.schedules().catchupWindowMinutes());
    assertEquals(Boolean.FALSE, c.schedules().paused());
    assertEquals(30, c.targets().databaseRtoMinutes());
    assertEquals(120, c.targets().serverRtoMinutes());
    assertEquals(15, c.targets().applicationRtoMinutes());
    assertEquals(15, c.targets().rpoMinutes());
    assertEquals(3, c.compression().level());
    assertEquals(2, c.compression().workers());
    assertEquals(9464, c.metrics().port());
    assertEquals(6, c.retries().maxAttempts());
    assertEquals(5, c.retries().initialIntervalSeconds());
    assertEquals(240, c.retries().maxIntervalSeconds());
  }

  @Test
  void theBaseOfTheBadCasesIsValidAndTakesDefaults() throws IOException {
    LifeboatConfig c = loader.load(write(BASE));
    assertEquals("farmtally_production", c.databases().get(0).name());
    assertEquals("lifeboat", c.repository().prefix());
    assertEquals(3, c.compression().level());
    assertEquals(9464, c.metrics().port());
    assertEquals(RetryConfig.DEFAULT, c.retries());
    assertEquals(null, c.repository().localCopyDir());
  }

  @Test
  void monitoringSectionsTakeDefaultsAndLoadWhenGiven() throws IOException {
    LifeboatConfig c = loader.load(write(BASE));
    assertEquals("30 5 * * *", c.verification().schedule());
    assertTrue(c.verification().restore());
    assertEquals(25, c.checks().maxAgeHours());
    assertEquals(7, c.checks().daily());
    assertEquals(4, c.checks().weekly());
    assertEquals(0, c.checks().monthly());
    assertFalse(c.notifications().any());
    assertEquals(30.0, c.notifications().statusEveryMinutes(), "the seed's 30 minutes");

    LifeboatConfig given = loader.load(write(BASE.replace("fullDays: 30", "fullDays: 400") + """
        checks:
          maxAgeHours: 26
          monthly: 12
        notifications:
          webhook:
            urlEnv: LIFEBOAT_WEBHOOK_URL
          email:
            host: smtp.farmtally.test
            port: 587
            from: lifeboat@farmtally.test
            to: [ops@farmtally.test]
            usernameEnv: SMTP_USER
            passwordEnv: SMTP_PASSWORD
            startTls: true
          statusEveryMinutes: 0.5
        """));
    assertEquals(30_000L, given.notifications().statusEveryMillis());
    assertEquals(12, given.checks().monthly());
    assertEquals("LIFEBOAT_WEBHOOK_URL", given.notifications().webhook().urlEnv());
    assertEquals(587, given.notifications().email().port());
    assertTrue(given.notifications().email().startTls());
  }

  @Test
  void retentionKeepIsAbsentByDefaultAndLoadsWhenGiven() throws IOException {
    assertEquals(null, loader.load(write(BASE)).retention().keep());
    LifeboatConfig c = loader.load(write(BASE + """
          keep: {daily: 7, weekly: 4, monthly: 13}
        checks:
          daily: 7
          weekly: 4
          monthly: 12
        """));
    assertEquals(30, c.retention().fullDays());
    assertEquals(new io.lifeboat.config.RetentionConfig.Keep(7, 4, 13, 0), c.retention().keep());
    // the days alone cover what GFS does not: 7 daily and 4 weekly within 30 days
    LifeboatConfig monthlyOnly = loader.load(write(BASE
        + "  keep: {monthly: 13, yearly: 3}\nchecks:\n  monthly: 12\n"));
    assertEquals(3, monthlyOnly.retention().keep().yearly());
    assertEquals(0, monthlyOnly.retention().keep().daily());
  }

  /** The repository's S3 lines in BASE, which the GCS and Azure cases replace. */
  private static final String S3_LINES = """
        endpoint: http://127.0.0.1:9000
        bucket: farmtally-backups
        accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
        secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
      """;

  private static String repo(String lines) {
    return variant(S3_LINES, lines);
  }

  @Test
  void gcsAndAzureRepositoriesLoadAndS3StaysTheDefault() throws IOException {
    assertEquals("s3", loader.load(write(BASE)).repository().type());
    RepositoryConfig gcs = loader.load(write(repo("""
          type: gcs
          bucket: farmtally-backups
          endpoint: http://127.0.0.1:4443
          gcs: {projectId: farmtally, credentialsFile: none}
        """))).repository();
    assertEquals("gcs", gcs.type());
    assertEquals("farmtally", gcs.gcs().projectId());
    RepositoryConfig az = loader.load(write(repo("""
          type: azure
          azure: {account: farmtally, accountKeyEnv: LIFEBOAT_AZURE_KEY, container: backups}
        """))).repository();
    assertEquals("backups", az.bucket());
    assertEquals("https://farmtally.blob.core.windows.net", az.endpoint());
    RepositoryConfig azc = loader.load(write(repo("""
          type: azure
          bucket: backups
          azure: {connectionStringEnv: LIFEBOAT_AZURE_CONNECTION}
        """))).repository();
    assertEquals("LIFEBOAT_AZURE_CONNECTION", azc.azure().connectionStringEnv());
  }

  @Test
  void dumpIsTheCustomStreamUnlessSetAndDirectoryTakesJobs() throws IOException {
    DatabaseConfig plain = loader.load(write(BASE)).databases().get(0);
    assertEquals(null, plain.dump(), "unset: not in payloads");
    assertEquals("custom", plain.dumpSettings().format());
    assertEquals(1, plain.dumpSettings().jobs());
    DatabaseConfig dir = loader.load(write(variant("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
        "    passwordEnv: LIFEBOAT_PG_PASSWORD\n    dump: {format: directory, jobs: 4}\n")))
        .databases().get(0);
    assertTrue(dir.dumpSettings().directory());
    assertEquals(4, dir.dumpSettings().jobs());
    assertEquals(2, loader.load(write(variant("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
        "    passwordEnv: LIFEBOAT_PG_PASSWORD\n    dump: {format: directory}\n")))
        .databases().get(0).dumpSettings().jobs(), "directory defaults to 2 jobs");
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("dump jobs zero", variant("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
            "    passwordEnv: LIFEBOAT_PG_PASSWORD\n    dump: {format: directory, jobs: 0}\n"),
            "databases[0].dump.jobs"),
        bad("dump format unknown", variant("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
            "    passwordEnv: LIFEBOAT_PG_PASSWORD\n    dump: {format: tar}\n"),
            "databases[0].dump.format"),
        bad("dump jobs on custom", variant("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
            "    passwordEnv: LIFEBOAT_PG_PASSWORD\n    dump: {jobs: 3}\n"),
            "databases[0].dump.jobs"),
        bad("unknown repository type", variant("  bucket: farmtally-backups\n",
            "  bucket: farmtally-backups\n  type: blob\n"), "repository.type"),
        bad("gcs with S3 keys", variant("  bucket: farmtally-backups\n",
            "  bucket: farmtally-backups\n  type: gcs\n"),
            "repository.accessKeyEnv/secretKeyEnv"),
        bad("gcs bucket name", repo("  type: gcs\n  bucket: Farm_Tally\n"), "repository.bucket"),
        bad("azure without its section", repo("  type: azure\n  bucket: backups\n"),
            "repository.azure"),
        bad("azure account without key", repo(
            "  type: azure\n  azure: {account: a, container: backups}\n"),
            "repository.azure.accountKeyEnv"),
        bad("azure container name", repo(
            "  type: azure\n  azure: {connectionStringEnv: AZ, container: Back_Ups}\n"),
            "repository.azure.container"),
        bad("azure connection string inline", repo("  type: azure\n  bucket: backups\n"
            + "  azure: {connectionStringEnv: \"AccountName=x;AccountKey=y\"}\n"),
            "repository.azure.connectionStringEnv"),
        bad("gcs section on an s3 repository", variant("  bucket: farmtally-backups\n",
            "  bucket: farmtally-backups\n  gcs: {projectId: p}\n"), "repository.gcs"),
        bad("unknown top-level key", BASE + "estat: typo\n", "estat"),
        bad("unknown nested key", variant("  bucket: farmtally-backups",
            "  buckt: farmtally-backups"), "repository.buckt"),
        bad("missing repository.bucket", variant("  bucket: farmtally-backups\n", ""),
            "repository.bucket"),
        bad("missing databases[0].port", variant("    port: 55432\n", ""),
            "databases[0].port"),
        bad("port is not a number", variant("port: 55432", "port: \"abc\""),
            "databases[0].port"),
        bad("port is a fraction", variant("port: 55432", "port: 5432.5"), "databases[0].port"),
        bad("fullDays is a list", variant("fullDays: 30", "fullDays: [1]"), "retention.fullDays"),
        bad("repository is a scalar", """
            estate: farmtally
            repository: farmtally-backups
            databases:
              - name: farmtally_production
                host: 127.0.0.1
                port: 55432
                user: lifeboat
            """, "repository"),
        bad("database entry is a scalar", variant("""
              - name: farmtally_production
                host: 127.0.0.1
                port: 55432
                user: lifeboat
                passwordEnv: LIFEBOAT_PG_PASSWORD
            """, "  - farmtally_production\n"), "databases[0]"),
        bad("empty databases list", variant("""
            databases:
              - name: farmtally_production
                host: 127.0.0.1
                port: 55432
                user: lifeboat
                passwordEnv: LIFEBOAT_PG_PASSWORD
            """, "databases: []\n"), "databases"),
        bad("duplicate database names", variant("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
            """
                passwordEnv: LIFEBOAT_PG_PASSWORD
              - name: farmtally_production
                host: 127.0.0.2
                port: 5432
                user: lifeboat
            """), "databases[1].name"),
        bad("bucket name with capitals and underscore", variant("bucket: farmtally-backups",
            "bucket: FarmTally_Backups"), "repository.bucket"),
        bad("endpoint is not a URL", variant("endpoint: http://127.0.0.1:9000",
            "endpoint: 127.0.0.1:9000"), "repository.endpoint"),
        bad("accessKeyEnv is not a variable name", variant(
            "accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY", "accessKeyEnv: LIFEBOAT-S3-ACCESS-KEY"),
            "repository.accessKeyEnv"),
        bad("accessKeyEnv holds a secret", variant("accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY",
            "accessKeyEnv: \"AKIA/EXAMPLE+KEY=\""), "repository.accessKeyEnv"),
        bad("passwordEnv is not a variable name", variant("passwordEnv: LIFEBOAT_PG_PASSWORD",
            "passwordEnv: $LIFEBOAT_PG_PASSWORD"), "databases[0].passwordEnv"),
        bad("partSizeMb below S3's minimum", variant("partSizeMb: 16", "partSizeMb: 1"),
            "repository.partSizeMb"),
        bad("database name climbs directories", variant("name: farmtally_production",
            "name: ../etc"), "databases[0].name"),
        bad("database name with shell metacharacters", variant("name: farmtally_production",
            "name: \"x; rm -rf /\""), "databases[0].name"),
        bad("database name with command substitution", variant("name: farmtally_production",
            "name: \"$(id)\""), "databases[0].name"),
        bad("retries.maxAttempts zero", BASE + "retries:\n  maxAttempts: 0\n", "retries"),
        // verification, checks, notifications (issue #7)
        bad("checks asking for monthly backups a 30-day retention deletes",
            BASE + "checks:\n  monthly: 12\n", "checks"),
        bad("checks asking for 12 monthly backups, GFS keeping 12 months (the current one too)",
            BASE + "  keep: {monthly: 12}\nchecks:\n  monthly: 12\n", "checks"),
        bad("checks asking for 8 weeks, neither days nor GFS keep them",
            BASE + "  keep: {weekly: 8, monthly: 3}\nchecks:\n  weekly: 8\n", "checks"),
        bad("negative retention.keep.weekly", BASE + "  keep: {weekly: -1}\n",
            "retention.keep.daily"),
        bad("negative retention.keep.yearly", BASE + "  keep: {yearly: -2}\n",
            "retention.keep.daily"),
        bad("unknown key under retention.keep", BASE + "  keep: {hourly: 3}\n",
            "retention.keep.hourly"),
        bad("notifications.statusEveryMinutes zero",
            BASE + "notifications:\n  statusEveryMinutes: 0\n", "notifications.statusEveryMinutes"),
        bad("notifications.statusEveryMinutes negative",
            BASE + "notifications:\n  statusEveryMinutes: -5\n",
            "notifications.statusEveryMinutes"),
        bad("checks.maxAgeHours zero", BASE + "checks:\n  maxAgeHours: 0\n",
            "checks.maxAgeHours"),
        bad("unknown key under checks", BASE + "checks:\n  maxAge: 25\n", "checks.maxAge"),
        bad("webhook URL written in the config", BASE
            + "notifications:\n  webhook:\n    urlEnv: \"https://hooks.slack.com/services/T/B/x\"\n",
            "notifications.webhook.urlEnv"),
        bad("email without recipients", BASE + "notifications:\n  email:\n    host: smtp.test\n"
            + "    from: lifeboat@farmtally.test\n", "notifications.email.to"),
        bad("email recipient is not an address", BASE + "notifications:\n  email:\n"
            + "    host: smtp.test\n    from: lifeboat@farmtally.test\n    to: [ops]\n",
            "notifications.email.to"),
        bad("email user without password", BASE + "notifications:\n  email:\n"
            + "    host: smtp.test\n    from: lifeboat@farmtally.test\n"
            + "    to: [ops@farmtally.test]\n    usernameEnv: SMTP_USER\n", "notifications.email"),
        // A key written with no value is null in YAML, which is not the same as absent.
        bad("empty port", variant("port: 55432", "port:"), "databases[0].port"),
        bad("empty bucket", variant("bucket: farmtally-backups", "bucket:"),
            "repository.bucket"),
        bad("empty database name", variant("name: farmtally_production", "name:"),
            "databases[0].name"),
        bad("empty accessKeyEnv", variant("accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY",
            "accessKeyEnv:"), "repository.accessKeyEnv"),
        bad("empty endpoint", variant("endpoint: http://127.0.0.1:9000", "endpoint:"),
            "repository.endpoint"),
        bad("empty host", variant("host: 127.0.0.1", "host:"), "databases[0].host"),
        bad("empty user", variant("user: lifeboat", "user:"), "databases[0].user"),
        bad("payload key both in a file and a variable", BASE
            + "temporal:\n  payloadEncryption: {keysetFile: /k.json, keysetEnv: LB_KEYS}\n",
            "temporal.payloadEncryption"),
        bad("payload key nowhere", BASE + "temporal:\n  payloadEncryption: {codecServerPort: 8089}\n",
            "temporal.payloadEncryption"),
        bad("payload key variable is not a variable name", BASE
            + "temporal:\n  payloadEncryption: {keysetEnv: \"$(cat key)\"}\n",
            "temporal.payloadEncryption.keysetEnv"),
        bad("repository key both in a file and a variable", variant("  partSizeMb: 16",
            "  partSizeMb: 16\n  encryption: {keyFile: /k.json, keyEnv: LB_REPO_KEY}"),
            "repository.encryption"),
        bad("repository key nowhere", variant("  partSizeMb: 16",
            "  partSizeMb: 16\n  encryption: {}"), "repository.encryption"),
        bad("repository key variable is not a variable name", variant("  partSizeMb: 16",
            "  partSizeMb: 16\n  encryption: {keyEnv: \"{\\\"key\\\": 1}\"}"),
            "repository.encryption.keyEnv"),
        bad("repository encryption with an unknown key", variant("  partSizeMb: 16",
            "  partSizeMb: 16\n  encryption: {keyfile: /k.json}"),
            "repository.encryption.keyfile"),
        bad("mTLS certificate without its key", BASE
            + "temporal:\n  tls: {certFile: /c.pem}\n", "temporal.tls"),
        bad("empty estate", variant("estate: farmtally", "estate:"), "estate"),
        bad("empty repository", variant("""
            repository:
              endpoint: http://127.0.0.1:9000
              bucket: farmtally-backups
              accessKeyEnv: LIFEBOAT_S3_ACCESS_KEY
              secretKeyEnv: LIFEBOAT_S3_SECRET_KEY
              partSizeMb: 16
            """, "repository:\n"), "repository"));
  }

  @Test
  void keyFilesAreTakenFromTheConfigFilesDirectory() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("etc"));
    Path file = sub.resolve("lifeboat.yml");
    Files.writeString(file, variant("  partSizeMb: 16", "  partSizeMb: 16\n"
        + "  encryption: {keyFile: keys/repo.json}")
        + "temporal:\n  payloadEncryption: {keysetFile: ../payload.json}\n");
    LifeboatConfig c = loader.load(file);
    assertEquals(sub.resolve("keys/repo.json").toAbsolutePath().normalize().toString(),
        c.repository().encryption().keyFile());
    assertEquals(dir.resolve("payload.json").toAbsolutePath().normalize().toString(),
        c.temporal().payloadEncryption().keysetFile());
    assertNull(loader.load(write(BASE)).repository().encryption(), "off unless configured");
  }

  @Test
  void theExampleEncryptsWithTheLaunchersKeys() {
    LifeboatConfig c = loader.load(EXAMPLE);
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertEquals(root.resolve(".lifeboat/keys/repository.json").toString(),
        c.repository().encryption().keyFile());
    assertEquals(root.resolve(".lifeboat/keys/payload.json").toString(),
        c.temporal().payloadEncryption().keysetFile());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void aMistakeIsOneLineNamingFileAndKey(String label, String yaml, String key)
      throws IOException {
    Path file = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), label);
    assertOperatorMessage(e, file);
    assertTrue(e.getMessage().contains("'" + key + "'"),
        "message does not name the key '" + key + "': " + e.getMessage());
  }

  static Stream<Arguments> unparseable() {
    return Stream.of(
        Arguments.of("unclosed bracket", BASE + "schedules: {timezone: UTC\n"),
        Arguments.of("unclosed flow list", variant("fullDays: 30", "fullDays: [30")),
        Arguments.of("bad indentation", variant("  bucket: farmtally-backups",
            "   bucket: farmtally-backups")),
        Arguments.of("tab indentation", variant("  bucket: farmtally-backups",
            "\tbucket: farmtally-backups")));
  }

  /** Malformed YAML has no key to name; the line is what the operator needs instead. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unparseable")
  void malformedYamlIsOneLineNamingFileAndLine(String label, String yaml) throws IOException {
    Path file = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), label);
    assertOperatorMessage(e, file);
    assertTrue(e.getMessage().matches(".*\\bline \\d+.*"),
        "message does not give the line: " + e.getMessage());
  }

  static Stream<Arguments> contentless() {
    return Stream.of(
        Arguments.of("zero bytes", ""),
        Arguments.of("blank lines", "\n  \n\n"),
        Arguments.of("only comments", "# estate config, to be written\n# later\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contentless")
  void aFileWithoutSettingsSaysSo(String label, String yaml) throws IOException {
    Path file = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), label);
    assertOperatorMessage(e, file);
    String m = e.getMessage().toLowerCase(Locale.ROOT);
    assertTrue(m.contains("empty") || m.contains("no settings"),
        "message does not say the file is empty: " + e.getMessage());
  }

  @Test
  void walDefaultsAndBadWalSettings() throws IOException {
    LifeboatConfig c = loader.load(write(BASE));
    assertEquals("0 3 * * 0", c.wal().baseSchedule());
    assertEquals("0 */6 * * *", c.wal().checkSchedule());
    assertEquals(16L * 1024 * 1024, c.wal().segmentSizeBytes());
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.load(write(BASE + "\nwal:\n  segmentSizeMb: 3\n")));
    assertTrue(e.getMessage().contains("wal.segmentSizeMb"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> loader.load(write(BASE + "\nwal:\n  baseRetentionCount: 0\n")));
    assertTrue(e.getMessage().contains("wal.baseRetentionCount"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = dir.resolve("nowhere").resolve("lifeboat.yml");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertOperatorMessage(e, file);
    assertTrue(e.getMessage().contains("no such"), e.getMessage());
  }

  @Test
  void anUnknownKeyListsTheKnownOnes() throws IOException {
    Path file = write(variant("  bucket: farmtally-backups", "  buckt: farmtally-backups"));
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().contains("bucket"), e.getMessage());
    assertTrue(e.getMessage().contains("accessKeyEnv"), e.getMessage());
  }

  /** A line number is only a help if it is the line of the mistake. */
  @Test
  void anUnknownKeyIsReportedAtItsOwnLine() throws IOException {
    Path file = write(variant("repository:\n", "repository:\n  prefx: nightly\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().contains("'repository.prefx'"), e.getMessage());
    assertTrue(e.getMessage().contains("(line 3)"),
        "prefx is on line 3 of the file: " + e.getMessage());
  }

  @Test
  void aBadValueIsQuotedBack() throws IOException {
    Path file = write(variant("port: 55432", "port: \"abc\""));
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().contains("'abc'"), e.getMessage());
    assertTrue(e.getMessage().contains("whole number"), e.getMessage());
  }

  private static Arguments bad(String label, String yaml, String key) {
    return Arguments.of(label, yaml, key);
  }

  /** BASE with one piece replaced; refuses to build a case that changes nothing. */
  private static String variant(String from, String to) {
    assertTrue(BASE.contains(from), "BASE has no '" + from + "'");
    String changed = BASE.replace(from, to);
    assertNotEquals(BASE, changed);
    return changed;
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("lifeboat.yml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /** One line, naming the file, written for an operator rather than a Java developer. */
  private static void assertOperatorMessage(ConfigException e, Path file) {
    String m = e.getMessage();
    assertFalse(m == null || m.isBlank(), "no message");
    assertFalse(m.contains("\n") || m.contains("\r"), "message is not one line:\n" + m);
    assertTrue(m.contains(file.toString()), "message does not name the file: " + m);
    assertFalse(m.contains("com.fasterxml") || m.contains("Exception"),
        "message leaks Java internals: " + m);
  }

  /** The recovery section: mistakes in it are refused by the loader, one line each. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badRecovery")
  void badRecoverySettingsAreOneLineNamingTheKey(String label, String section, String key)
      throws IOException {
    String yaml = BASE.replace("    passwordEnv: LIFEBOAT_PG_PASSWORD\n",
        "    passwordEnv: LIFEBOAT_PG_PASSWORD\n" + section);
    assertTrue(yaml.contains("recovery:"), yaml);
    Path file = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), label);
    assertOperatorMessage(e, file);
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  static Stream<Arguments> badRecovery() {
    return Stream.of(
        Arguments.of("relative data directory", "    recovery: {dataDirectory: pg/data}\n",
            "databases[0].recovery.dataDirectory"),
        Arguments.of("bad os user", "    recovery: {osUser: \"post gres\"}\n",
            "databases[0].recovery.osUser"),
        Arguments.of("negative cap", "    recovery: {downloadMbPerSecond: -1}\n",
            "databases[0].recovery.downloadMbPerSecond"),
        Arguments.of("health url", "    recovery: {application: {healthUrl: localhost:3000}}\n",
            "databases[0].recovery.application.healthUrl"),
        Arguments.of("unknown key", "    recovery: {dataDir: /x}\n", "dataDir"));
  }

  /** The drills section (issue #6): defaults, relative appDir made absolute, mistakes refused. */
  @Test
  void drillsSectionDefaultsAndMistakes() throws IOException {
    LifeboatConfig none = loader.load(write(BASE));
    assertEquals(30, none.drills().reminderMinutes());
    assertEquals(3390, none.drills().appPort());
    assertTrue(none.drills().approvers().isEmpty());
    LifeboatConfig example = loader.load(EXAMPLE);
    assertEquals(java.util.List.of("drill-lead"), example.drills().approvers(),
        "the lead approves when approvers is unset");
    assertEquals("0 9 15 1,4,7,10 *", example.drills().quarterlySchedule());
    LifeboatConfig rel = loader.load(write(BASE + "drills:\n  appDir: drills/here\n"));
    assertTrue(Path.of(rel.drills().appDir()).isAbsolute(), rel.drills().appDir());
    for (String bad : java.util.List.of("drills:\n  reminderMinutes: 0\n",
        "drills:\n  appPort: 70000\n", "drills:\n  appPm2Name: 'x; rm -rf /'\n",
        "drills:\n  scratchDatabase: 'a b'\n", "drills:\n  bogus: 1\n")) {
      Path file = write(BASE + bad);
      ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), bad);
      assertOperatorMessage(e, file);
      assertTrue(e.getMessage().contains("drills."), e.getMessage());
    }
  }

  /** The worker section and verification.parallel (issue 21): defaults, values, mistakes. */
  @Test
  void workerSizingDefaultsAndMistakes() throws IOException {
    LifeboatConfig none = loader.load(write(BASE));
    assertEquals(4, none.worker().activitySlots());
    assertEquals(4, none.worker().workflowTaskSlots());
    assertEquals(2, none.worker().bulkActivitySlots());
    assertEquals(100, none.worker().workflowCacheSize());
    assertEquals(2, none.verification().parallel());
    LifeboatConfig set = loader.load(write(BASE + "worker:\n  activitySlots: 8\n"
        + "  workflowTaskSlots: 6\n  bulkActivitySlots: 3\n  workflowCacheSize: 500\n"
        + "verification:\n  parallel: 4\n"));
    assertEquals(8, set.worker().activitySlots());
    assertEquals(6, set.worker().workflowTaskSlots());
    assertEquals(3, set.worker().bulkActivitySlots());
    assertEquals(500, set.worker().workflowCacheSize());
    assertEquals(4, set.verification().parallel());
    for (String[] bad : new String[][] {
        {"worker:\n  activitySlots: 0\n", "worker.activitySlots"},
        {"worker:\n  workflowTaskSlots: 1\n", "worker.workflowTaskSlots"},
        {"worker:\n  bulkActivitySlots: -1\n", "worker.bulkActivitySlots"},
        {"worker:\n  bulkActivitySlots: 100000\n", "worker.bulkActivitySlots"},
        {"worker:\n  workflowCacheSize: 0\n", "worker.workflowCacheSize"},
        {"worker:\n  activitySlots: many\n", "activitySlots"},
        {"worker:\n  slots: 3\n", "slots"},
        {"verification:\n  parallel: 0\n", "verification.parallel"}}) {
      Path file = write(BASE + bad[0]);
      ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), bad[0]);
      assertOperatorMessage(e, file);
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  /** Issue 22: approvals: per workflow kind and per step; mistakes are one line. */
  @Test
  void approvalsSectionListsWhoMayApprove() throws IOException {
    assertTrue(loader.load(write(BASE)).approvals().isEmpty());
    LifeboatConfig c = loader.load(write(BASE + "approvals:\n  workflows:\n"
        + "    server-recovery: [alice, bob]\n  steps:\n    dns: [carol]\n"));
    assertEquals(java.util.List.of("carol"), c.approvals().forStep("server-recovery", "dns"));
    assertEquals(java.util.List.of("alice", "bob"),
        c.approvals().forStep("server-recovery", "provision"));
    assertEquals(java.util.List.of(), c.approvals().forStep("drill", "approve-start"));
    for (String bad : java.util.List.of("approvals:\n  workflows:\n    backup: [a]\n",
        "approvals:\n  steps:\n    'Bad Step': [a]\n",
        "approvals:\n  workflows:\n    drill: []\n",
        "approvals:\n  steps:\n    dns: ['']\n", "approvals:\n  bogus: 1\n")) {
      Path file = write(BASE + bad);
      ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file), bad);
      assertOperatorMessage(e, file);
      assertTrue(e.getMessage().contains("approvals"), e.getMessage());
    }
  }

  /** Issue 22: restorePoints.schedule; absent or blank: no scheduled points. */
  @Test
  void restorePointsScheduleIsOffUnlessSet() throws IOException {
    assertNull(loader.load(write(BASE)).restorePoints().schedule());
    assertNull(loader.load(write(BASE + "restorePoints:\n  schedule: ' '\n")).restorePoints()
        .schedule());
    assertEquals("30 1 * * *", loader.load(write(BASE + "restorePoints:\n"
        + "  schedule: '30 1 * * *'\n")).restorePoints().schedule());
    Path file = write(BASE + "restorePoints:\n  every: 3\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertOperatorMessage(e, file);
  }
}
