package io.lifeboat.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of the {@code servers:} section (recovery targets), kept apart from
 * {@link ConfigLoader}. A target must name a database and an application of this file, and
 * the names it hands to tools (domain, address) must be plain, since they end up as arguments
 * of ansible, certbot and nsupdate.
 */
final class ServerTargetRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern DOMAIN =
      Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
  private static final Pattern ADDRESS = Pattern.compile("[0-9.]{7,15}|[0-9A-Fa-f:]{2,39}");

  /** A server setting as pg_ctl and postgresql.auto.conf take it: no quotes, no spaces. */
  private static final Pattern SETTING = Pattern.compile("[a-z_][a-z0-9_.]*=[A-Za-z0-9_./:+-]*");

  private ServerTargetRules() {}

  private static void settings(String where, String key, List<String> settings) {
    for (String s : settings) {
      if (s == null || !SETTING.matcher(s).matches()) {
        throw new ConfigException(where + ": '" + key + "' holds NAME=VALUE settings like"
            + " archive_mode=off, not '" + s + "'");
      }
    }
  }

  static void validate(String where, LifeboatConfig c) {
    for (int i = 0; i < c.databases().size(); i++) {
      DatabaseConfig d = c.databases().get(i);
      if (d != null) {
        settings(where, "databases[" + i + "].recovery.serverSettings",
            d.recovery().serverSettings());
      }
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < c.servers().size(); i++) {
      ServerTargetConfig t = c.servers().get(i);
      String key = "servers[" + i + "]";
      if (t == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (t.name() == null || !SAFE_NAME.matcher(t.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -");
      }
      if (!seen.add(t.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + t.name() + "'");
      }
      if (t.address() != null && !validAddress(t.address())) {
        throw new ConfigException(where + ": '" + key + ".address' must be an IP address, not '"
            + t.address() + "'");
      }
      if (!DOMAIN.matcher(t.domain()).matches()) {
        throw new ConfigException(where + ": '" + key + ".domain' must be a DNS name like"
            + " farmtally.com, not '" + t.domain() + "'");
      }
      for (var p : List.of(t.httpPort(), t.httpsPort(), t.appPort(), t.postgres().port())) {
        if (p < 1 || p > 65535) {
          throw new ConfigException(where + ": '" + key + "' has a port out of 1..65535: " + p);
        }
      }
      settings(where, key + ".postgres.settings", t.postgres().settings());
      if (c.database(t.database()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".database' names '" + t.database()
            + "', which is not in databases:");
      }
      if (c.application(t.application()).isEmpty()) {
        throw new ConfigException(where + ": '" + key + ".application' names '"
            + t.application() + "', which is not in applications:");
      }
      items(where, key, t, c);
      String provider = t.dns().provider();
      if (!ServerTargetConfig.DnsConfig.MANUAL.equals(provider)
          && !ServerTargetConfig.DnsConfig.RFC2136.equals(provider)) {
        throw new ConfigException(where + ": '" + key + ".dns.provider' is manual or rfc2136,"
            + " not '" + provider + "'");
      }
      if (ServerTargetConfig.DnsConfig.RFC2136.equals(provider)
          && (t.dns().server() == null || t.dns().zone() == null)) {
        throw new ConfigException(where + ": '" + key + ".dns' with provider rfc2136 needs"
            + " server and zone");
      }
      agent(where, key, t);
      if (!t.acme().directory().startsWith("https://")) {
        throw new ConfigException(where + ": '" + key + ".acme.directory' must be an https URL");
      }
    }
  }

  /**
   * A target's databases: and applications: (issue 17): known names, each once, a priority of
   * P1..P3, a port of its own for each database and application but the target's, and no
   * application restored before the database it depends on.
   */
  private static void items(String where, String key, ServerTargetConfig t,
      LifeboatConfig c) {
    java.util.Map<String, Integer> dbRank = new java.util.HashMap<>();
    Set<Integer> ports = new HashSet<>(List.of(t.postgres().port()));
    for (int j = 0; j < t.databases().size(); j++) {
      TargetItem i = t.databases().get(j);
      String k = key + ".databases[" + j + "]";
      item(where, k, i);
      if (i.name() == null || c.database(i.name()).isEmpty()) {
        throw new ConfigException(where + ": '" + k + ".name' names '" + i.name()
            + "', which is not in databases:");
      }
      if (dbRank.put(i.name(), i.rank()) != null) {
        throw new ConfigException(where + ": '" + k + ".name' repeats '" + i.name() + "'");
      }
      if (i.name().equals(t.database())) {
        if (i.port() != null && !i.port().equals(t.postgres().port())) {
          throw new ConfigException(where + ": '" + k + ".port' of the target's own database "
              + i.name() + " is postgres.port (" + t.postgres().port() + "), not " + i.port());
        }
      } else if (i.port() == null || i.port() < 1 || i.port() > 65535 || !ports.add(i.port())) {
        throw new ConfigException(where + ": '" + k + ".port' must be a port of its own in"
            + " 1..65535 for database " + i.name() + " on the target (postgres.port and the"
            + " other databases' ports are taken)");
      }
      if (i.database() != null) {
        throw new ConfigException(where + ": '" + k + ".database' is for applications only");
      }
    }
    dbRank.putIfAbsent(t.database(), 1);
    Set<String> apps = new HashSet<>();
    // Each other application listens on a port of its own on the target (issue 17: the
    // services step starts it and checks its health there).
    Set<Integer> appPorts = new HashSet<>(ports);
    appPorts.addAll(List.of(t.appPort(), t.httpPort(), t.httpsPort()));
    for (int j = 0; j < t.applications().size(); j++) {
      TargetItem i = t.applications().get(j);
      String k = key + ".applications[" + j + "]";
      item(where, k, i);
      if (i.name() == null || c.application(i.name()).isEmpty()) {
        throw new ConfigException(where + ": '" + k + ".name' names '" + i.name()
            + "', which is not in applications:");
      }
      if (!apps.add(i.name())) {
        throw new ConfigException(where + ": '" + k + ".name' repeats '" + i.name() + "'");
      }
      if (i.name().equals(t.application())) {
        if (i.port() != null && !i.port().equals(t.appPort())) {
          throw new ConfigException(where + ": '" + k + ".port' of the target's own application "
              + i.name() + " is appPort (" + t.appPort() + "), not " + i.port());
        }
      } else if (i.port() == null || i.port() < 1 || i.port() > 65535
          || !appPorts.add(i.port())) {
        throw new ConfigException(where + ": '" + k + ".port' must be a port of its own in"
            + " 1..65535 for application " + i.name() + " on the target (appPort, httpPort,"
            + " httpsPort, the databases' and the other applications' ports are taken)");
      }
      String db = i.database() != null ? i.database() : t.database();
      Integer rank = dbRank.get(db);
      if (rank == null) {
        throw new ConfigException(where + ": '" + k + ".database' names '" + db
            + "', which is not one of this target's databases");
      }
      if (rank > i.rank()) {
        throw new ConfigException(where + ": '" + k + "' (application " + i.name() + ", P"
            + i.rank() + ") depends on database " + db + " (P" + rank + "): an application is"
            + " restored after its database; give it P" + rank + " or later");
      }
    }
  }

  private static void agent(String where, String key, ServerTargetConfig t) {
    ServerTargetConfig.AgentInstall a = t.agent();
    if (a == null) return;
    if (t.host() == null) {
      throw new ConfigException(where + ": '" + key + ".agent' installs the agent of the"
          + " target's host: set '" + key + ".host' to one of hosts:");
    }
    if (a.tarball() == null || !Path.of(a.tarball()).getFileName().toString()
        .matches("lifeboat-[^/]+\\.tar\\.gz")) {
      throw new ConfigException(where + ": '" + key + ".agent.tarball' must name the"
          + " distribution's lifeboat-VERSION.tar.gz (mvn -DskipTests package -pl dist -am)");
    }
    for (String name : a.env()) {
      if (name == null || !ConfigChecks.ENV_NAME.matcher(name).matches()) {
        throw new ConfigException(where + ": '" + key + ".agent.env' holds names of environment"
            + " variables, not '" + name + "'");
      }
    }
  }

  private static void item(String where, String k, TargetItem i) {
    if (i == null) throw new ConfigException(where + ": '" + k + "' is empty");
    if (i.rank() == 0) {
      throw new ConfigException(where + ": '" + k + ".priority' is P1, P2 or P3 (or 1..3),"
          + " not '" + i.priority() + "'");
    }
  }

  static boolean validAddress(String a) {
    if (!ADDRESS.matcher(a).matches()) return false;
    try {
      // A literal only: no name lookups for something that is checked offline.
      InetAddress.getByName(a);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Relative paths are taken from the directory the command runs in, like localCopyDir. */
  static List<ServerTargetConfig> absolute(List<ServerTargetConfig> servers) {
    return servers.stream().map(s -> s.withPaths(ServerTargetRules::abs)).toList();
  }

  private static String abs(String p) {
    return p == null ? null : Path.of(p).toAbsolutePath().normalize().toString();
  }
}
