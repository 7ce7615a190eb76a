package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.wal.BaseBackups;
import io.lifeboat.wal.WalArchive;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 17's production database host for real: PostgreSQL 15 (Debian's server binaries) runs
 * inside the estate machine db1 as the postgres OS user, its data directory under db1's own
 * /var/lib/postgresql, listening on db1's bridge address and its loopback, and archives its WAL
 * through bin/lifeboat-wal of the distribution tarball unpacked in db1's /opt/lifeboat, with
 * db1's own /etc/lifeboat/lifeboat.env (the credentials written there by this test, nothing
 * inherited from the stack). The control worker runs here: `backup db` (pg_dump over TCP) and
 * `backup base` (pg_basebackup over TCP) reach db1 across the bridge; the WAL reaches the stack's
 * S3 through db1's forwarder.
 *
 * <p>db1's link taken down in the middle of a large dump and brought back (issue 17's link
 * fault) is an entry of the fault suite: {@link EstateFaults#linkDownMidUpload}
 * (`-Dlifeboat.faults.only=estate-link`), on the suite's own Temporal and S3.
 *
 * Needs the distribution tarball: `mvn -DskipTests package -pl dist -am` (dist/target), or
 * LIFEBOAT_DIST_TARBALL=FILE.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DatabaseHostEstateEndToEndTest {
  /** FarmTally-shaped, named per run: workflow ids carry the database name. */
  private String dbName;
  private static final String PG_BIN = "/usr/lib/postgresql/15/bin";
  private static final String PGDATA = "/var/lib/postgresql/15/db1";
  private static final String SOCKET = "/var/lib/postgresql/run";
  private static final String ENV_FILE = "/etc/lifeboat/lifeboat.env";

  private RealStack stack;
  private WorkerJvm workers;
  private Estate estate;
  private Path config;
  private String db1;
  private int metricsPort;

  @BeforeEach
  void up() throws Exception {
    Path tarball = tarball();
    stack = new RealStack();
    dbName = "farmtally_" + stack.tag;
    workers = new WorkerJvm(stack.dir);
    estate = new Estate(stack.dir, "db1");
    db1 = estate.address("db1");
    metricsPort = ArchivingCluster.freePort(); // the stack's worker has the example's port
    config = stack.config("db1", root -> configure(root, db1));
    // db1's own copy of the config: its key file is db1's, under /etc/lifeboat
    Path db1Config = stack.config("db1-host", root -> {
      configure(root, db1);
      ((ObjectNode) root.get("repository")).putObject("encryption")
          .put("keyFile", "/etc/lifeboat/repository.json");
    });
    Path key = Path.of(stack.base.repository().encryption().keyFile());
    String env = String.join("\n",
        "LIFEBOAT_CONFIG=/etc/lifeboat/lifeboat.yml",
        "LIFEBOAT_WAL_SPOOL=/var/lib/postgresql/wal-spool",
        "LIFEBOAT_HOME=/opt/lifeboat",
        "LIFEBOAT_JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
        "LIFEBOAT_S3_ACCESS_KEY=" + System.getenv("LIFEBOAT_S3_ACCESS_KEY"),
        "LIFEBOAT_S3_SECRET_KEY=" + System.getenv("LIFEBOAT_S3_SECRET_KEY"),
        "LIFEBOAT_WAL_SHIP_IDLE=5", "");
    Path envSource = stack.dir.resolve("db1.env");
    Files.writeString(envSource, env);
    Path fixture = stack.dir.resolve("fixture.sql");
    try (InputStream in = getClass().getResourceAsStream("/fixture.sql")) {
      Files.copy(in, fixture);
    }
    String archive = "/opt/lifeboat/bin/lifeboat-wal push --database " + dbName + " %p %f";
    long t0 = System.nanoTime();
    estate.exec("db1", "bash", "-c", String.join("\n",
        "set -euo pipefail",
        // The postgres OS user cannot name a working directory it may not read (a fresh clone
        // under a 0701 mktemp directory): initdb fails "could not identify current directory".
        "cd /",
        // the distribution, as a host installs it (no checkout, no Maven repository)
        "tar -C /opt -xzf \"$1\"; mv /opt/lifeboat-*/ /opt/lifeboat; chmod -R a+rX /opt/lifeboat",
        "install -m 0640 -o root -g postgres \"$2\" /etc/lifeboat/lifeboat.yml",
        "install -m 0640 -o root -g postgres \"$3\" /etc/lifeboat/repository.json",
        "install -m 0600 -o postgres -g postgres \"$4\" " + ENV_FILE,
        "install -d -m 0700 -o postgres -g postgres /var/lib/postgresql/15 " + PGDATA
            + " /var/lib/postgresql/wal-spool",
        "install -d -m 0755 -o postgres -g postgres " + SOCKET,
        "chown postgres:postgres /var/lib/postgresql",
        "runuser -u postgres -- " + PG_BIN + "/initdb -D " + PGDATA + " -U postgres"
            + " --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null",
        "cat >>" + PGDATA + "/postgresql.conf <<EOF",
        "listen_addresses = '127.0.0.1,$5'",
        "port = 5432",
        "unix_socket_directories = '" + SOCKET + "'",
        "wal_level = replica",
        "max_wal_senders = 4",
        "archive_mode = on",
        "archive_command = '" + archive + "'",
        "fsync = off",
        "shared_buffers = 32MB",
        "EOF",
        "printf 'host all lifeboat 10.231.77.0/24 scram-sha-256\\n"
            + "host replication lifeboat 10.231.77.0/24 scram-sha-256\\n' >>" + PGDATA
            + "/pg_hba.conf",
        "runuser -u postgres -- " + PG_BIN + "/pg_ctl -D " + PGDATA
            + " -l /var/lib/postgresql/postgres.log -w -t 60 start >/dev/null",
        PG_BIN + "/psql -X -q -v ON_ERROR_STOP=1 -h " + SOCKET + " -U postgres -d postgres"
            + " -c \"create role lifeboat login superuser replication password '$6'\""
            + " -c 'create database " + dbName + "'",
        PG_BIN + "/psql -X -q -v ON_ERROR_STOP=1 -v rows=20000 -h " + SOCKET
            + " -U postgres -d " + dbName + " -f \"$7\""),
        "db1-setup", tarball.toString(), db1Config.toString(), key.toString(),
        envSource.toString(), db1, System.getenv("LIFEBOAT_PG_PASSWORD"), fixture.toString());
    System.out.printf("db1: distribution unpacked, PostgreSQL initialised and loaded in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    Process control = workers.start(config, stack.taskQueue, "control", Map.of());
    // a worker that could not start (a port in use) would leave every --wait below hanging
    if (control.waitFor(3, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the control worker exited: " + workers.log("control"));
    }
  }

  /** The estate's config: db1 is the database host, its database answers on db1's address. */
  private void configure(ObjectNode root, String address) {
    // an estate name of its own: workflow ids (backup-config-ESTATE-manual, rollback-ESTATE-APP)
    // are per estate, and the other e2e classes run beside this one against the same Temporal
    root.put("estate", stack.tag);
    root.putObject("metrics").put("port", metricsPort);
    root.putArray("hosts").addObject().put("name", "db1").put("address", address)
        .putArray("roles").add("database");
    ObjectNode d = RealStack.addDatabase(root, dbName);
    d.put("host", address).put("port", 5432).put("user", "lifeboat").put("onHost", "db1");
    ObjectNode retries = root.putObject("retries");
    retries.put("maxAttempts", 6).put("initialIntervalSeconds", 1).put("maxIntervalSeconds", 3);
  }

  private static Path tarball() throws Exception {
    String env = System.getenv("LIFEBOAT_DIST_TARBALL");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
    Path target = Path.of("../dist/target").toAbsolutePath().normalize();
    try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return s.filter(p -> p.getFileName().toString().matches("lifeboat-.*\\.tar\\.gz"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no distribution tarball in "
              + target + ": mvn -DskipTests package -pl dist -am (or LIFEBOAT_DIST_TARBALL=FILE)"));
    }
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (workers != null) workers.close();
    } finally {
      try {
        if (estate != null) estate.close(); // kills PostgreSQL and the shipper with db1
      } finally {
        if (stack != null) stack.close();
      }
    }
  }

  @Test
  void productionDatabaseHostIsReal() throws Exception {
    long t0 = System.nanoTime();
    // PostgreSQL is db1's: its process lives in db1's network namespace, its data directory
    // exists only in db1, and it answers on db1's address from here
    String pid = db1Sql("postgres", "select pg_backend_pid()");
    assertNotNull(pid);
    String postmaster = estate.exec("db1", "head", "-1", PGDATA + "/postmaster.pid").strip();
    assertEquals(Estate.netnsOf("db1"), Estate.netnsOfPid(Long.parseLong(postmaster)));
    assertEquals("postgres", estate.exec("db1", "ps", "-o", "user=", "-p", postmaster).strip());
    assertFalse(Files.exists(Path.of(PGDATA, "PG_VERSION")), "db1's data directory is db1's only");
    assertFalse(Files.exists(Path.of(ENV_FILE)) && Files.readString(Path.of(ENV_FILE))
        .contains("/var/lib/postgresql/wal-spool"), "db1's env file is db1's only");
    String token = estate.exec("db1", "cat", "/etc/nginx/lifeboat-estate-host").strip()
        .split(" ")[1].substring(0, 8);
    db1Sql(dbName, "insert into users(email, created_at) values ('db1-" + token
        + "@farmtally.test', now())");
    String tallies = db1Sql(dbName, "select count(*) from tallies");
    assertEquals("20000", tallies);
    assertEquals("on", tcpSql("show archive_mode"), "db1 over TCP on " + db1);

    // 1. backup db: pg_dump over TCP by the control worker
    RealStack.Run dump = stack.cli("backup", "db", dbName, "--wait", "--config", config.toString());
    assertEquals(0, dump.exit(), dump.err() + dump.out() + workers.log("control"));
    assertTrue(dump.out().contains("is committed"), dump.out());
    List<BackupManifest> dumps = dumpManifests();
    assertEquals(1, dumps.size(), stack.keys().toString());
    BackupManifest m = dumps.get(0);
    assertEquals(dbName, m.database());
    assertTrue(m.sourceAddress().contains(db1), m.sourceAddress());

    // 2. backup base: pg_basebackup over TCP, verified, its manifest names db1's cluster
    RealStack.Run base = stack.cli("backup", "base", dbName, "--wait", "--config", config.toString());
    assertEquals(0, base.exit(), base.err() + base.out() + workers.log("control"));
    List<BaseBackupManifest> bases = new BaseBackups(stack.store(), stack.prefix, dbName).committed();
    assertEquals(1, bases.size());
    BaseBackupManifest b = bases.get(0);
    assertEquals(dbName, b.database());
    assertTrue(b.verified());
    assertTrue(b.sourceAddress().contains(db1), b.sourceAddress());
    assertEquals(db1Sql("postgres", "select system_identifier from pg_control_system()"),
        b.systemIdentifier(), "the base backup is db1's cluster");

    // 3. a WAL switch on db1: the segment is archived by db1's lifeboat-wal, through db1's
    // forwarder, into the stack's S3
    String walName = db1Sql("postgres", "select pg_walfile_name(pg_current_wal_lsn())");
    db1Sql("postgres", "select pg_switch_wal()");
    awaitArchived(walName);
    WalArchive archive = new WalArchive(stack.store(), stack.prefix, dbName, 3);
    List<String> segments = archive.segments();
    assertTrue(segments.contains(walName), walName + " in " + segments);
    assertTrue(segments.contains(b.startWalSegment()) && segments.contains(b.stopWalSegment()),
        segments.toString());
    RealStack.Run check = stack.cli("wal", "check", dbName, "--json", "--config", config.toString());
    assertEquals(0, check.exit(), check.err() + check.out());
    JsonNode c = new ObjectMapper().readTree(check.out());
    assertTrue(c.get("continuous").asBoolean(), check.out());
    assertTrue(c.get("switchedSegmentArchived").asBoolean(), check.out());
    // the operator's view of the same, read from the bucket: `wal list` and `backups list`
    RealStack.Run walList = stack.cli("wal", "list", dbName, "--json", "--config",
        config.toString());
    assertEquals(0, walList.exit(), walList.err());
    JsonNode wl = new ObjectMapper().readTree(walList.out());
    assertEquals(dbName, wl.get("database").asText());
    // The archive only grows: at least what the store listed above (how many segments the
    // base backup and the switch span depends on timing; two is not promised).
    assertTrue(wl.get("segments").asInt() >= segments.size(), walList.out());
    assertEquals(b.backupId(), wl.get("baseBackups").get(0).get("backupId").asText(),
        walList.out());
    RealStack.Run backups = stack.cli("backups", "list", "--json", "--config", config.toString());
    assertEquals(0, backups.exit(), backups.err());
    assertTrue(backups.out().contains(m.backupId()) && backups.out().contains(dbName),
        backups.out());
    String shipper = estate.exec("db1", "cat", "/var/lib/postgresql/wal-spool/" + dbName
        + "/shipper.log");
    System.out.println("db1 WAL segments: " + archive.segments());

    // 4. the stored dump restores into a scratch database on the stack's PostgreSQL with
    // db1's rows
    Path file = download(m);
    String listing = stack.run(RealStack.pg("pg_restore"), "--list", file.toString());
    assertTrue(listing.contains("TABLE DATA public tallies"), listing);
    String scratch = stack.emptyDatabase("from_db1");
    stack.run(RealStack.pg("pg_restore"), "--no-owner", "-h", stack.host(), "-p", stack.port(),
        "-U", stack.user(), "-d", scratch, file.toString());
    assertEquals(tallies, stack.psql(scratch, "select count(*) from tallies"));
    assertEquals("1", stack.psql(scratch, "select count(*) from users where email = 'db1-"
        + token + "@farmtally.test'"));
    assertFalse(shipper.isBlank(), "db1's shipper (the distribution's, as postgres) logged");
    System.out.printf("db1: dump, base backup, WAL and restore in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** The committed dump manifests of dbName (PREFIX/db/dbName/full/ID/manifest.json), oldest first. */
  private List<BackupManifest> dumpManifests() throws Exception {
    String root = RepositoryLayout.fullBackupsRoot(stack.prefix, dbName);
    List<BackupManifest> out = new ArrayList<>();
    for (String k : stack.store().list(root)) {
      if (!k.endsWith("/manifest.json")) continue;
      try (InputStream in = stack.store().get(k)) {
        out.add(new ObjectMapper().readValue(in, BackupManifest.class));
      }
    }
    out.sort(java.util.Comparator.comparing(BackupManifest::startedAt));
    return out;
  }

  /** The stored dump, decrypted and decompressed, checked against its manifest's SHA-256. */
  private Path download(BackupManifest m) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Path file = stack.dir.resolve(m.backupId() + ".pgc");
    try (InputStream obj = stack.store().get(m.objectKey());
         DigestInputStream digest = new DigestInputStream(obj, sha);
         ZstdInputStream unzstd = new ZstdInputStream(
             stack.cipher().open(digest, m.objectKey(), m.objectKey()))) {
      Files.copy(unzstd, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      digest.transferTo(OutputStream.nullOutputStream());
    }
    assertEquals(m.sha256(), HexFormat.of().formatHex(sha.digest()), m.objectKey());
    return file;
  }

  private void awaitArchived(String walName) throws Exception {
    for (int i = 0; ; i++) {
      String row = db1Sql("postgres", "select coalesce(last_archived_wal, ''), failed_count"
          + " from pg_stat_archiver");
      String[] f = row.split("\\|", -1);
      if (!f[0].isEmpty() && f[0].compareTo(walName) >= 0) return;
      if (i > 1200) {
        throw new AssertionError("db1 never archived " + walName + ": " + row + "\n"
            + estate.exec("db1", "tail", "-30", "/var/lib/postgresql/postgres.log"));
      }
      Thread.sleep(100);
    }
  }

  /** SQL inside db1 over its own socket, as the postgres OS user's superuser. */
  private String db1Sql(String database, String sql) throws Exception {
    return estate.exec("db1", PG_BIN + "/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
        "-h", SOCKET, "-U", "postgres", "-d", database, "-c", sql).strip();
  }

  /** SQL from here over TCP to db1's address, as the control worker connects. */
  private String tcpSql(String sql) throws Exception {
    return stack.run(RealStack.pg("psql"), "-X", "-q", "-t", "-A", "-h", db1, "-p", "5432",
        "-U", "lifeboat", "-d", dbName, "-c", sql).strip();
  }
}
