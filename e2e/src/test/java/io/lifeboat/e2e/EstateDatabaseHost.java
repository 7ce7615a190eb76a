package io.lifeboat.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A production database host of the estate (issue 17), installed as a host is without the
 * checkout: the distribution tarball unpacked into the host's /opt/lifeboat, the host's own
 * /etc/lifeboat (config copy with its own key file, an env file of the postgres user's with the
 * S3 keys), PostgreSQL 15 (Debian's server binaries) run as the postgres OS user with its data
 * directory under the host's own /var/lib/postgresql, listening on 127.0.0.1 and the host's
 * bridge address, archiving WAL through the distribution's bin/lifeboat-wal, loaded with
 * FarmTally-shaped rows. The same steps as DatabaseHostEstateEndToEndTest's setup, as a fixture.
 */
final class EstateDatabaseHost {
  static final String PG_BIN = "/usr/lib/postgresql/15/bin";
  static final String SOCKET = "/var/lib/postgresql/run";
  static final String ENV_FILE = "/etc/lifeboat/lifeboat.env";

  final Estate estate;
  final String host;
  final String address;
  final String database;
  /** The data directory, inside the host only. */
  final String pgdata;

  /**
   * @param hostConfig the host's own copy of the estate's config (written by the caller with
   *     repository.encryption.keyFile = /etc/lifeboat/repository.json)
   * @param hbaFirst pg_hba lines before the role lifeboat's scram lines (first match wins)
   */
  EstateDatabaseHost(RealStack stack, Estate estate, String host, String database,
      Path hostConfig, int rows, List<String> hbaFirst) throws Exception {
    this.estate = estate;
    this.host = host;
    this.address = estate.address(host);
    this.database = database;
    this.pgdata = "/var/lib/postgresql/15/" + host;
    Path key = Path.of(stack.base.repository().encryption().keyFile());
    String env = String.join("\n",
        "LIFEBOAT_CONFIG=/etc/lifeboat/lifeboat.yml",
        "LIFEBOAT_WAL_SPOOL=/var/lib/postgresql/wal-spool",
        "LIFEBOAT_HOME=/opt/lifeboat",
        "LIFEBOAT_JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
        "LIFEBOAT_S3_ACCESS_KEY=" + System.getenv("LIFEBOAT_S3_ACCESS_KEY"),
        "LIFEBOAT_S3_SECRET_KEY=" + System.getenv("LIFEBOAT_S3_SECRET_KEY"),
        "LIFEBOAT_WAL_SHIP_IDLE=5", "");
    Path envSource = stack.dir.resolve(host + ".env");
    Files.writeString(envSource, env);
    Path fixture = stack.dir.resolve(host + "-fixture.sql");
    try (InputStream in = EstateDatabaseHost.class.getResourceAsStream("/fixture.sql")) {
      Files.copy(in, fixture);
    }
    StringBuilder hba = new StringBuilder();
    for (String l : hbaFirst) hba.append(l).append("\\n");
    hba.append("host all lifeboat 10.231.77.0/24 scram-sha-256\\n")
        .append("host replication lifeboat 10.231.77.0/24 scram-sha-256\\n");
    String archive = "/opt/lifeboat/bin/lifeboat-wal push --database " + database + " %p %f";
    estate.exec(host, "bash", "-c", String.join("\n",
        "set -euo pipefail",
        // the postgres OS user cannot name a working directory it may not read
        "cd /",
        "tar -C /opt -xzf \"$1\"; mv /opt/lifeboat-*/ /opt/lifeboat; chmod -R a+rX /opt/lifeboat",
        "install -m 0640 -o root -g postgres \"$2\" /etc/lifeboat/lifeboat.yml",
        "install -m 0640 -o root -g postgres \"$3\" /etc/lifeboat/repository.json",
        "install -m 0600 -o postgres -g postgres \"$4\" " + ENV_FILE,
        "install -d -m 0700 -o postgres -g postgres /var/lib/postgresql/15 " + pgdata
            + " /var/lib/postgresql/wal-spool",
        "install -d -m 0755 -o postgres -g postgres " + SOCKET,
        "chown postgres:postgres /var/lib/postgresql",
        "runuser -u postgres -- " + PG_BIN + "/initdb -D " + pgdata + " -U postgres"
            + " --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null",
        "cat >>" + pgdata + "/postgresql.conf <<EOF",
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
        "printf '" + hba + "' >>" + pgdata + "/pg_hba.conf",
        "runuser -u postgres -- " + PG_BIN + "/pg_ctl -D " + pgdata
            + " -l /var/lib/postgresql/postgres.log -w -t 60 start >/dev/null",
        PG_BIN + "/psql -X -q -v ON_ERROR_STOP=1 -h " + SOCKET + " -U postgres -d postgres"
            + " -c \"create role lifeboat login superuser replication password '$6'\""
            + " -c 'create database " + database + "'",
        PG_BIN + "/psql -X -q -v ON_ERROR_STOP=1 -v rows=" + rows + " -h " + SOCKET
            + " -U postgres -d " + database + " -f \"$7\""),
        host + "-setup", tarball().toString(), hostConfig.toString(), key.toString(),
        envSource.toString(), address, System.getenv("LIFEBOAT_PG_PASSWORD"), fixture.toString());
  }

  /** The database's config entry: it answers on the host's address, its data on the host. */
  static ObjectNode configure(ObjectNode root, String database, String host, String address) {
    ObjectNode d = RealStack.addDatabase(root, database);
    d.put("host", address).put("port", 5432).put("user", "lifeboat").put("onHost", host);
    d.putObject("recovery").put("dataDirectory", "/var/lib/postgresql/15/" + host)
        .put("osUser", "postgres").put("binDir", PG_BIN);
    return d;
  }

  /** The distribution tarball (dist/target, or LIFEBOAT_DIST_TARBALL). */
  static Path tarball() throws Exception {
    String env = System.getenv("LIFEBOAT_DIST_TARBALL");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
    Path target = Path.of("../dist/target").toAbsolutePath().normalize();
    try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return s.filter(p -> p.getFileName().toString().matches("lifeboat-.*\\.tar\\.gz"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no distribution tarball in "
              + target + ": mvn -DskipTests package -pl dist -am (or LIFEBOAT_DIST_TARBALL=FILE)"));
    }
  }

  /** SQL inside the host over its own socket, as the postgres OS user's superuser. */
  String sql(String db, String sql) throws Exception {
    return estate.exec(host, PG_BIN + "/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
        "-h", SOCKET, "-U", "postgres", "-d", db, "-c", sql).strip();
  }

  String sql(String sql) throws Exception {
    return sql(database, sql);
  }

  /** The postmaster's PID (the first line of postmaster.pid, read inside the host). */
  long postmaster() throws Exception {
    return Long.parseLong(estate.exec(host, "head", "-1", pgdata + "/postmaster.pid").strip());
  }

  /** Switches WAL and waits until the segment written so far is archived by the host. */
  String archiveAll() throws Exception {
    String walName = sql("postgres", "select pg_walfile_name(pg_current_wal_lsn())");
    sql("postgres", "select pg_switch_wal()");
    awaitArchived(walName);
    return walName;
  }

  void awaitArchived(String walName) throws Exception {
    for (int i = 0; ; i++) {
      String row = sql("postgres", "select coalesce(last_archived_wal, ''), failed_count"
          + " from pg_stat_archiver");
      String[] f = row.split("\\|", -1);
      // a later timeline's segment sorts after an earlier one's: >= holds across timelines
      if (!f[0].isEmpty() && f[0].compareTo(walName) >= 0) return;
      if (i > 1200) {
        throw new AssertionError(host + " never archived " + walName + ": " + row + "\n"
            + estate.exec(host, "tail", "-30", "/var/lib/postgresql/postgres.log"));
      }
      Thread.sleep(100);
    }
  }
}
