package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.backup.dump.Manifests;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.readiness.ReadinessFinding;
import io.lifeboat.readiness.ReadinessReport;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import io.lifeboat.wal.WalNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Recovery readiness (issue 18) against the shared stack, with this test's own worker, estate
 * database name, repository prefix (primary and the stack's offsite bucket) and a temporary copy
 * of the repository key. The repository holds a base backup and its WAL written with the
 * repository's own code (sealed with the key, as the archive writes them), copied offsite by a
 * real `offsite sync`. Each test breaks one recovery path and `lifeboat readiness --json` must
 * name exactly it: an agent down, a missing key, a WAL gap in the offsite, an offsite recovery
 * point older than the RPO.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ReadinessEndToEndTest {
  private static final long SEG = 16L * 1024 * 1024;
  private RealStack stack;
  private String db;
  private Path keyFile;
  private Path config;
  private LifeboatConfig cfg;
  private StoreFactory stores;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_ready";
    // A copy of the keys directory of the test's own: the missing-key test moves it away.
    Path keys = Files.createDirectories(stack.dir.resolve("keys"));
    keyFile = keys.resolve("repository.json");
    Files.copy(Path.of(stack.base.repository().encryption().keyFile()), keyFile);
    config = config("ready", root -> { });
    stores = new StoreFactory(Secrets.fromEnvironment());
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (cfg != null) {
        for (RepositoryConfig r : List.of(cfg.repository(),
            cfg.offsite().asRepository(cfg.repository().prefix()))) {
          ObjectStore s = stores.forRepository(r);
          for (String k : s.list(r.prefix() + "/")) s.delete(k);
        }
      }
    } finally {
      if (stores != null) stores.close();
      stack.close();
    }
  }

  /** The test's config: its database, its key copy, the stack's offsite under its prefix. */
  private Path config(String name, Consumer<ObjectNode> more) throws Exception {
    Path file = stack.config(name, root -> {
      RealStack.addDatabase(root, db);
      ((ObjectNode) root.get("repository")).putObject("encryption")
          .put("keyFile", keyFile.toString());
      ObjectNode off = root.putObject("offsite");
      off.put("endpoint", "http://127.0.0.1:9100").put("bucket", "farmtally-offsite")
          .put("prefix", stack.prefix).put("accessKeyEnv", "LIFEBOAT_OFFSITE_ACCESS_KEY")
          .put("secretKeyEnv", "LIFEBOAT_OFFSITE_SECRET_KEY");
      root.putObject("targets").put("rpoMinutes", 15);
      more.accept(root);
    });
    cfg = new ConfigLoader().load(file);
    return file;
  }

  private RepositoryConfig offsite() {
    return cfg.offsite().asRepository(cfg.repository().prefix());
  }

  /** Segments first..last of timeline 1, each file last written at {@code writtenAt}. */
  private void pushWal(RepositoryConfig repo, int first, int last, Instant writtenAt)
      throws Exception {
    RepositoryCipher cipher = StoreFactory.load(repo.encryption(), Secrets.fromEnvironment());
    WalArchive archive = new WalArchive(stores.forRepository(repo), repo.prefix(), db, 3, cipher);
    Random random = new Random(first);
    for (int i = first; i <= last; i++) {
      Path f = stack.dir.resolve("seg-" + i);
      byte[] content = new byte[8192];
      random.nextBytes(content);
      Files.write(f, content);
      Files.setLastModifiedTime(f, FileTime.from(writtenAt));
      archive.push(f, WalNames.segmentName(1, i, SEG));
    }
  }

  /** A committed base backup starting and stopping in segment 2, sealed with the key. */
  private String seedBase(Instant at) throws Exception {
    RepositoryConfig repo = cfg.repository();
    RepositoryCipher cipher = StoreFactory.load(repo.encryption(), Secrets.fromEnvironment());
    ObjectStore store = stores.forRepository(repo);
    String id = RepositoryLayout.backupId(at.toEpochMilli());
    String key = RepositoryLayout.baseTarKey(repo.prefix(), db, id);
    byte[] sealed = cipher.seal(com.github.luben.zstd.Zstd.compress(new byte[64 * 1024], 3), key);
    store.put(key, sealed, "application/zstd");
    String seg2 = WalNames.segmentName(1, 2, SEG);
    BaseBackupManifest m = new BaseBackupManifest(1, BaseBackupManifest.KIND, db, id,
        "127.0.0.1", at.toString(), at.plusSeconds(5).toString(), "0/2000028", "0/2000100", 1,
        seg2, seg2, SEG, 64 * 1024, sealed.length,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sealed)),
        "zstd", key, "15", "7000000000000000001", true, "seeded by the test",
        Map.of(), "test", cipher.info());
    store.put(RepositoryLayout.baseManifestKey(repo.prefix(), db, id), BaseBackups.json(m),
        "application/json");
    return id;
  }

  private void offsiteSync() {
    RealStack.Run sync = stack.cli("offsite", "sync", "--wait", "--config", config.toString());
    assertEquals(0, sync.exit(), sync.out() + sync.err());
  }

  private record Readiness(int exit, ReadinessReport report, String out) {}

  private Readiness readiness(Path configFile) throws Exception {
    RealStack.Run r = stack.cli("readiness", "--json", "--config", configFile.toString());
    assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + ": " + r.out() + r.err());
    ReadinessReport report = Manifests.JSON.readValue(r.out().substring(r.out().indexOf('{')),
        ReadinessReport.class);
    System.out.println("readiness (exit " + r.exit() + "):");
    report.findings().forEach(f -> System.out.println("  " + (f.ok() ? "ok      " : "PROBLEM ")
        + f.path() + " " + f.check() + ": " + f.detail()));
    return new Readiness(r.exit(), report, r.out());
  }

  private ReadinessFinding find(ReadinessReport r, String repo, String check) {
    return at(r, repo == null ? "db/" + db : "db/" + db + "/" + repo, check);
  }

  private static ReadinessFinding at(ReadinessReport r, String path, String check) {
    return r.findings().stream().filter(f -> f.path().equals(path) && f.check().equals(check))
        .findFirst().orElseThrow(() -> new AssertionError("no " + path + " " + check));
  }

  /** Base backup 1 hour ago; WAL 1..5 written then; all of it offsite. */
  private void healthyEstate() throws Exception {
    Instant hourAgo = Instant.now().minusSeconds(3600);
    seedBase(hourAgo);
    pushWal(cfg.repository(), 1, 5, hourAgo);
    offsiteSync();
  }

  private void assertReady(Readiness r) {
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.report().ready(), r.out());
  }

  @Test
  void agentDownIsFlagged() throws Exception {
    healthyEstate();
    assertReady(readiness(config));
    // The database's data directory lives on host ghost, where no agent runs.
    Path ghost = config("ghost", root -> {
      root.putArray("hosts").addObject().put("name", "ghost").put("address", "10.0.0.99");
      ((ObjectNode) root.get("databases").get(0)).put("onHost", "ghost");
    });
    Readiness r = readiness(ghost);
    assertEquals(1, r.exit(), r.out());
    ReadinessFinding agent = find(r.report(), null, "agent");
    assertFalse(agent.ok());
    assertTrue(agent.detail().contains("no agent polls " + stack.taskQueue + "-host-ghost"),
        agent.detail());
    assertEquals(1, r.report().problems().size(), "only the agent: " + r.report().problems());
    // What status shows: the last run, read from the bucket.
    RealStack.Run last = stack.cli("readiness", "--last", "--config", ghost.toString());
    assertEquals(1, last.exit(), last.out() + last.err());
    assertTrue(last.out().contains("PROBLEM db/" + db) && last.out().contains("agent"),
        last.out());
  }

  @Test
  void missingKeyIsFlaggedInEveryRepository() throws Exception {
    healthyEstate();
    Readiness before = readiness(config);
    assertReady(before);
    assertTrue(find(before.report(), "offsite", "keys").detail().contains("read through key"),
        find(before.report(), "offsite", "keys").detail());
    Files.move(keyFile, keyFile.resolveSibling("moved-away.json"));
    Readiness r = readiness(config);
    assertEquals(1, r.exit(), r.out());
    for (String repo : List.of("primary", "offsite")) {
      ReadinessFinding keys = find(r.report(), repo, "keys");
      assertFalse(keys.ok(), repo);
      assertTrue(keys.detail().contains("key does not load"), keys.detail());
      assertTrue(find(r.report(), repo, "wal").ok(), "the WAL is still all there");
    }
  }

  @Test
  void walGapInTheOffsiteIsFlagged() throws Exception {
    healthyEstate();
    assertReady(readiness(config));
    String gone = WalNames.segmentName(1, 3, SEG);
    stores.forRepository(offsite()).delete(RepositoryLayout.walKey(offsite().prefix(), db, gone));
    Readiness r = readiness(config);
    assertEquals(1, r.exit(), r.out());
    ReadinessFinding wal = find(r.report(), "offsite", "wal");
    assertFalse(wal.ok());
    assertTrue(wal.detail().contains("1 WAL segment(s) missing") && wal.detail().contains(gone),
        wal.detail());
    assertTrue(find(r.report(), "primary", "wal").ok(), "the primary is whole");
  }

  @Test
  void offsiteRecoveryPointOlderThanTheRpoIsFlagged() throws Exception {
    healthyEstate();
    Readiness level = readiness(config);
    assertReady(level);
    assertTrue(find(level.report(), "offsite", "rpo").detail().contains("level"),
        find(level.report(), "offsite", "rpo").detail());
    // The primary archives on (now, an hour after the offsite's newest); nothing syncs.
    pushWal(cfg.repository(), 6, 7, Instant.now());
    Readiness r = readiness(config);
    assertEquals(1, r.exit(), r.out());
    ReadinessFinding rpo = find(r.report(), "offsite", "rpo");
    assertFalse(rpo.ok());
    assertTrue(rpo.detail().contains("target 900 s"), rpo.detail());
    assertTrue(find(r.report(), "offsite", "wal").ok(), "what the offsite holds is continuous");
    assertNotNull(find(r.report(), "primary", "wal"));
    assertTrue(find(r.report(), "primary", "wal").ok());
  }

  /**
   * The server path's outside settings against the stack's own ACME server (pebble, read only:
   * its directory) and its DNS (pebble-challtestsrv, every name 127.0.0.1): both answer; then a
   * resolver where nothing listens and a directory URL that is not one are problems.
   */
  @Test
  void targetDnsAndAcmeAreCheckedAndTheirFaultsFlagged() throws Exception {
    healthyEstate();
    Path state = Path.of(System.getenv().getOrDefault("LIFEBOAT_STATE_DIR", "../.lifeboat"));
    Path ca = state.resolve("acme/ca.pem").toAbsolutePath().normalize();
    assertTrue(Files.isReadable(ca), "the stack's ACME CA " + ca + " (./lifeboat up makes it)");
    int nobody;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    Path good = targetConfig("target-good", "127.0.0.1:8053", "https://127.0.0.1:14000/dir", ca);
    Readiness r = readiness(good);
    assertReady(r);
    ReadinessFinding dns = at(r.report(), "server/dr", "dns");
    assertTrue(dns.detail().contains("farmtally.test resolves to 127.0.0.1"), dns.detail());
    assertTrue(at(r.report(), "server/dr", "acme").detail().contains("answers"));

    Path bad = targetConfig("target-bad", "127.0.0.1:" + nobody,
        "https://127.0.0.1:14000/not-a-directory", ca);
    Readiness b = readiness(bad);
    assertEquals(1, b.exit(), b.out());
    assertFalse(at(b.report(), "server/dr", "dns").ok());
    assertFalse(at(b.report(), "server/dr", "acme").ok());
    assertEquals(2, b.report().problems().size(), b.report().problems().toString());
  }

  private Path targetConfig(String name, String resolver, String directory, Path ca)
      throws Exception {
    Path example = Path.of("../examples/farmtally").toAbsolutePath().normalize();
    return config(name, root -> {
      ObjectNode app = root.putArray("applications").addObject();
      app.put("name", "farmtally").put("releaseRoot", stack.dir.resolve("app").toString())
          .put("pm2Name", "farmtally-" + stack.tag)
          .put("healthUrl", "http://127.0.0.1:9/api/health");
      ObjectNode t = root.putArray("servers").addObject();
      t.put("name", "dr").put("address", "127.0.0.2")
          .put("root", stack.dir.resolve("dr").toString()).put("domain", "farmtally.test")
          .put("database", db).put("application", "farmtally")
          .put("inventory", example.resolve("ansible/inventory.ini").toString())
          .put("playbook", example.resolve("ansible/site.yml").toString());
      t.putObject("acme").put("directory", directory).put("caBundle", ca.toString());
      root.putObject("readiness").put("resolver", resolver);
    });
  }
}
