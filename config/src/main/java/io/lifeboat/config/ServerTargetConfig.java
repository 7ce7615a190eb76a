package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A server to recover the estate onto ({@code lifeboat recover server --target NAME}): the
 * seed's "complete server loss" scenario. Everything on it lives under {@code root}, so a
 * second server on the same machine (a loopback address of its own, its own ports, its own
 * PostgreSQL cluster, nginx instance and PM2 daemon) is a real target for drills and tests.
 *
 * @param name what operators type
 * @param address the new host's address; the provisioning approval may give it instead
 * @param root directory everything of this server lives under (created by provisioning)
 * @param domain the public name; DNS points it at the address, the certificate is for it
 * @param httpPort nginx HTTP (ACME HTTP-01 answers here; the CA validates against this port)
 * @param httpsPort nginx HTTPS, the app's public face
 * @param appPort the Node app behind nginx
 * @param database the database entry (databases[].name) restored onto this server
 * @param application the application entry (applications[].name) restored onto this server
 * @param postgres the server's PostgreSQL cluster
 * @param inventory ansible inventory for the configuration playbook
 * @param playbook the configuration playbook (nginx, app runtime, PM2 ecosystem)
 * @param provisionPlaybook when set, provisioning runs it instead of waiting for a person
 * @param acme the certificate authority (certbot's --server)
 * @param dns how the domain is pointed at the new address
 * @param production true for the server that runs production now: never a recovery target
 * @param host the {@code hosts[].name} of the machine this target is; unset: the one machine
 * @param databases every database this target restores, with its priority; unset: just
 *     {@code database} (P1). {@code database} is restored too when this does not list it (P1)
 * @param applications every application this target restores, with its priority and the
 *     database it depends on; unset: just {@code application} (P1), listed or not as above
 * @param agent where the configure playbook gets the host's Lifeboat agent from (it installs
 *     and starts it); unset: the agent is installed some other way (an image, a person)
 */
public record ServerTargetConfig(
    @JsonProperty(required = true) String name,
    String address,
    @JsonProperty(required = true) String root,
    @JsonProperty(required = true) String domain,
    Integer httpPort,
    Integer httpsPort,
    Integer appPort,
    @JsonProperty(required = true) String database,
    @JsonProperty(required = true) String application,
    PostgresTarget postgres,
    @JsonProperty(required = true) String inventory,
    @JsonProperty(required = true) String playbook,
    String provisionPlaybook,
    AcmeConfig acme,
    DnsConfig dns,
    Boolean production,
    String host,
    java.util.List<TargetItem> databases,
    java.util.List<TargetItem> applications,
    AgentInstall agent) {

  public ServerTargetConfig {
    httpPort = httpPort != null ? httpPort : 80;
    httpsPort = httpsPort != null ? httpsPort : 443;
    appPort = appPort != null ? appPort : 3000;
    postgres = postgres != null ? postgres : PostgresTarget.DEFAULT;
    acme = acme != null ? acme : AcmeConfig.DEFAULT;
    dns = dns != null ? dns : DnsConfig.MANUAL_DNS;
    production = production != null ? production : Boolean.FALSE;
    databases = databases == null ? java.util.List.of() : java.util.List.copyOf(databases);
    applications = applications == null ? java.util.List.of()
        : java.util.List.copyOf(applications);
  }

  /**
   * A target restoring one database and one application (the shape before priorities), its
   * agent not installed by the recovery.
   */
  public ServerTargetConfig(String name, String address, String root, String domain,
      Integer httpPort, Integer httpsPort, Integer appPort, String database, String application,
      PostgresTarget postgres, String inventory, String playbook, String provisionPlaybook,
      AcmeConfig acme, DnsConfig dns, Boolean production, String host) {
    this(name, address, root, domain, httpPort, httpsPort, appPort, database, application,
        postgres, inventory, playbook, provisionPlaybook, acme, dns, production, host, null,
        null, null);
  }

  /** A target of a one-machine estate (no {@code host:}). */
  public ServerTargetConfig(String name, String address, String root, String domain,
      Integer httpPort, Integer httpsPort, Integer appPort, String database, String application,
      PostgresTarget postgres, String inventory, String playbook, String provisionPlaybook,
      AcmeConfig acme, DnsConfig dns, Boolean production) {
    this(name, address, root, domain, httpPort, httpsPort, appPort, database, application,
        postgres, inventory, playbook, provisionPlaybook, acme, dns, production, (String) null);
  }

  /** The same target with a path resolver applied to its local paths (relative → absolute). */
  public ServerTargetConfig withPaths(java.util.function.UnaryOperator<String> abs) {
    return new ServerTargetConfig(name, address, abs.apply(root), domain, httpPort, httpsPort,
        appPort, database, application, postgres, abs.apply(inventory), abs.apply(playbook),
        abs.apply(provisionPlaybook), acme.withPaths(abs), dns.withPaths(abs), production, host,
        databases, applications, agent == null ? null : agent.withPaths(abs));
  }

  /** The same target at another address (the one a person gave when provisioning). */
  public ServerTargetConfig at(String newAddress) {
    return new ServerTargetConfig(name, newAddress, root, domain, httpPort, httpsPort, appPort,
        database, application, postgres, inventory, playbook, provisionPlaybook, acme, dns,
        production, host, databases, applications, agent);
  }

  /**
   * The databases this target restores: {@code databases:} as listed, with {@code database}
   * added first at P1 when the list does not name it. Unset: just {@code database}, P1.
   */
  @JsonIgnore
  public java.util.List<TargetItem> restoredDatabases() {
    return withOwn(databases, database);
  }

  /** The applications this target restores, as {@link #restoredDatabases()} does. */
  @JsonIgnore
  public java.util.List<TargetItem> restoredApplications() {
    return withOwn(applications, application);
  }

  private static java.util.List<TargetItem> withOwn(java.util.List<TargetItem> listed,
      String own) {
    if (own == null || listed.stream().anyMatch(i -> own.equals(i.name()))) return listed;
    java.util.List<TargetItem> all = new java.util.ArrayList<>();
    all.add(TargetItem.of(own, 1));
    all.addAll(listed);
    return java.util.List.copyOf(all);
  }

  /**
   * Where database {@code db} lives on the target: the target's own ({@code database:}) in
   * {@link #dataDirectory()}, any other in {@code ROOT/postgresql/NAME-data} (beside it:
   * the directory the configuration playbook makes for the cluster, owned by its OS user).
   */
  @JsonIgnore
  public String dataDirectory(String db) {
    return db == null || db.equals(database) ? dataDirectory() : root + "/postgresql/" + db
        + "-data";
  }

  /** Every data directory a recovery may have started a cluster in (target stop/reset). */
  @JsonIgnore
  public java.util.List<String> dataDirectories() {
    return restoredDatabases().stream().map(i -> dataDirectory(i.name())).toList();
  }

  /** The release root of application {@code app} on the target: ROOT/app/NAME. */
  @JsonIgnore
  public String releaseRoot(String app) {
    return root + "/app/" + app;
  }

  /** Where the worker reaches the recovered cluster. */
  @JsonIgnore
  public String postgresHost() {
    return postgres.host() != null ? postgres.host() : address;
  }

  /** The https URL the recovered app answers on. */
  @JsonIgnore
  public String url() {
    return "https://" + domain + (httpsPort == 443 ? "" : ":" + httpsPort);
  }

  @JsonIgnore
  public String dataDirectory() {
    return root + "/postgresql/data";
  }

  @JsonIgnore
  public String releaseRoot() {
    return root + "/app/" + application;
  }

  @JsonIgnore
  public String pm2Home() {
    return root + "/pm2";
  }

  @JsonIgnore
  public String nginxPrefix() {
    return root + "/nginx";
  }

  @JsonIgnore
  public String webroot() {
    return root + "/www";
  }

  @JsonIgnore
  public String letsencryptDir() {
    return root + "/letsencrypt";
  }

  /**
   * The server's PostgreSQL cluster.
   *
   * @param host where the worker reaches the recovered cluster; unset: the target's address.
   *     The cluster listens where production's postgresql.conf said (it comes back with the
   *     base backup), e.g. 127.0.0.1 on a one-machine estate
   * @param port where the recovered cluster listens
   * @param binDir server binaries (pg_ctl), default the worker's
   * @param osUser the OS user that owns and runs the cluster
   * @param settings NAME=VALUE for the recovered cluster's postgresql.auto.conf: e.g.
   *     {@code archive_mode=off} on a second server beside a live production, so it does not
   *     archive a new timeline into production's WAL archive. Unset after a real loss: the new
   *     server is production and archives as it did
   */
  public record PostgresTarget(String host, Integer port, String binDir, String osUser,
      java.util.List<String> settings) {
    public static final PostgresTarget DEFAULT = new PostgresTarget(null, null, null, null, null);

    public PostgresTarget {
      port = port != null ? port : 5432;
      osUser = osUser != null ? osUser : "postgres";
      settings = settings == null ? java.util.List.of() : java.util.List.copyOf(settings);
    }
  }

  /**
   * @param directory the ACME directory URL (certbot --server)
   * @param caBundle CA file that certbot trusts for the ACME server itself (REQUESTS_CA_BUNDLE);
   *     unset: the system's
   * @param rootUrl where the CA publishes the root its certificates chain to (pebble's
   *     management {@code /roots/0}); the health check trusts it; unset: the system's roots
   * @param email the ACME account's contact; unset registers without one
   */
  public record AcmeConfig(String directory, String caBundle, String rootUrl, String email) {
    public static final AcmeConfig DEFAULT = new AcmeConfig(null, null, null, null);

    public AcmeConfig {
      directory = directory != null ? directory : "https://acme-v02.api.letsencrypt.org/directory";
    }

    AcmeConfig withPaths(java.util.function.UnaryOperator<String> abs) {
      return new AcmeConfig(directory, abs.apply(caBundle), rootUrl, email);
    }
  }

  /**
   * @param provider {@code manual} (a person changes the record and approves) or {@code rfc2136}
   *     (nsupdate against {@code server})
   * @param server the DNS server taking dynamic updates (host or host:port)
   * @param zone the zone the record is in
   * @param keyFile TSIG key file for nsupdate -k; unset sends unsigned updates
   * @param ttl the record's TTL in seconds
   */
  public record DnsConfig(String provider, String server, String zone, String keyFile, Integer ttl) {
    public static final String MANUAL = "manual";
    public static final String RFC2136 = "rfc2136";
    public static final DnsConfig MANUAL_DNS = new DnsConfig(null, null, null, null, null);

    public DnsConfig {
      provider = provider != null ? provider : MANUAL;
      ttl = ttl != null ? ttl : 60;
    }

    DnsConfig withPaths(java.util.function.UnaryOperator<String> abs) {
      return new DnsConfig(provider, server, zone, abs.apply(keyFile), ttl);
    }
  }

  /**
   * The agent the configure playbook installs and starts on the target's host (issue 17): the
   * control worker hands these to the playbook (lb_agent_*), whose role lifeboat_agent copies the
   * archive over SSH, unpacks it, writes the config and the env file and starts
   * {@code lifeboat agent --host HOST} (under systemd, or as a supervised background process:
   * the inventory's {@code lifeboat_service_manager}). The recovery then waits for the agent
   * before any step runs on the host.
   *
   * @param tarball lifeboat-VERSION.tar.gz on the control worker's machine (dist/target of a
   *     build, or the release archive)
   * @param config the estate's config file on the control worker's machine, installed as the
   *     agent's; unset: the control worker's LIFEBOAT_CONFIG, else the file already on the host
   * @param env names of the control worker's environment variables written into the agent's
   *     env file (the secrets the config names: repository keys, database passwords, ...);
   *     handed to ansible in a file only the worker's user can read, never on a command line
   */
  public record AgentInstall(String tarball, String config, java.util.List<String> env) {
    public AgentInstall {
      env = env == null ? java.util.List.of() : java.util.List.copyOf(env);
    }

    AgentInstall withPaths(java.util.function.UnaryOperator<String> abs) {
      return new AgentInstall(abs.apply(tarball), abs.apply(config), env);
    }
  }
}
