package io.lifeboat.cli.config;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The GCS and Azure repositories of a config that live on this machine, the primary and every
 * copy repository: an {@code http} endpoint at a loopback address. {@code ./lifeboat up} runs
 * fake-gcs-server and Azurite for them (issue 20), as it runs s3proxy for an S3 repository
 * there, so {@code config stack-env} tells it, per emulator: where to listen, which buckets
 * (containers) to create, and for Azurite the accounts with their keys.
 *
 * <p>One emulator per kind: two loopback repositories of one kind on different ports are
 * refused (one line) rather than half served. An Azure repository named by {@code
 * connectionStringEnv} is not started here: its address is inside a secret the launcher does
 * not take apart; name {@code account}, {@code accountKeyEnv} and the {@code endpoint} instead.
 */
record Emulators(List<Use> uses) {

  /**
   * One repository on an emulator.
   *
   * @param role "repository" for the primary, else the copy repository's name
   * @param setting its place in the config, for errors ("repository", "offsite",
   *     "repositories[1]")
   * @param account the Azure account (the endpoint's first path segment); null for GCS
   * @param key the Azure account's key (the value of accountKeyEnv); null for GCS
   */
  record Use(String type, String role, String setting, URI endpoint, String bucket,
      String account, String key) {}

  static Emulators of(LifeboatConfig c, Secrets secrets) {
    List<Use> uses = new ArrayList<>();
    RepositoryConfig r = c.repository();
    add(uses, r.type(), "repository", "repository", r.endpoint(), r.bucket(), r.azure(),
        secrets);
    if (c.offsite() != null) {
      List<OffsiteConfig> all = c.offsite().all();
      for (int i = 0; i < all.size(); i++) {
        OffsiteConfig o = all.get(i);
        add(uses, o.type(), o.repositoryName(), o.named() ? "repositories[" + i + "]" : "offsite",
            o.endpoint(), o.bucket(), o.azure(), secrets);
      }
    }
    for (String type : List.of("gcs", "azure")) {
      List<Use> same = uses.stream().filter(u -> u.type().equals(type)).toList();
      for (Use u : same) {
        Use first = same.get(0);
        if (u.endpoint().getPort() != first.endpoint().getPort()
            || !u.endpoint().getHost().equals(first.endpoint().getHost())) {
          throw new ConfigException("'" + first.setting() + ".endpoint' and '" + u.setting()
              + ".endpoint' are both on this machine at different addresses; the local stack"
              + " runs one " + (type.equals("gcs") ? "fake-gcs-server" : "Azurite")
              + ": give them the same address");
        }
      }
    }
    return new Emulators(List.copyOf(uses));
  }

  private static void add(List<Use> uses, String type, String role, String setting,
      String endpoint, String bucket, RepositoryConfig.AzureConfig azure, Secrets secrets) {
    if (!"gcs".equals(type) && !"azure".equals(type)) return;
    if (endpoint == null || endpoint.isBlank()) return;            // the cloud service itself
    URI u = URI.create(endpoint);
    if (!"http".equals(u.getScheme()) || !ConfigCommand.LocalSources.loopback(u.getHost())) {
      return;
    }
    if (u.getPort() <= 0) {
      throw new ConfigException("'" + setting + ".endpoint' " + endpoint + " is on this machine:"
          + " give its port (the local stack runs the emulator there)");
    }
    if (type.equals("gcs")) {
      uses.add(new Use(type, role, setting, u, bucket, null, null));
      return;
    }
    if (azure.connectionStringEnv() != null) return;   // its address is in the secret
    // Azurite serves accounts path-style: http://127.0.0.1:10000/ACCOUNT
    String path = u.getPath() == null ? "" : u.getPath().replaceAll("^/+|/+$", "");
    if (!path.equals(azure.account())) {
      throw new ConfigException("'" + setting + ".endpoint' " + endpoint + " is on this machine,"
          + " where Azurite serves the account in the path: make it http://" + u.getHost() + ":"
          + u.getPort() + "/" + azure.account());
    }
    uses.add(new Use(type, role, setting, u, bucket, azure.account(),
        secrets.require(azure.accountKeyEnv(), setting + ".azure.accountKeyEnv")));
  }

  /**
   * GCS_ENDPOINT, GCS_PORT, GCS_BUCKETS ("role:bucket ..."); AZURE_ENDPOINT (without the
   * account), AZURE_PORT, AZURE_CONTAINERS ("role:account/container ..."), AZURE_ACCOUNTS
   * (Azurite's AZURITE_ACCOUNTS: "account:key;..."). Nothing for a kind with no local use.
   */
  void print(PrintWriter out) {
    List<Use> gcs = uses.stream().filter(u -> u.type().equals("gcs")).toList();
    if (!gcs.isEmpty()) {
      URI e = gcs.get(0).endpoint();
      out.println("GCS_ENDPOINT=http://" + e.getHost() + ":" + e.getPort());
      out.println("GCS_PORT=" + e.getPort());
      out.println("GCS_BUCKETS=" + gcs.stream().map(u -> u.role() + ":" + u.bucket())
          .collect(Collectors.joining(" ")));
    }
    List<Use> azure = uses.stream().filter(u -> u.type().equals("azure")).toList();
    if (!azure.isEmpty()) {
      URI e = azure.get(0).endpoint();
      out.println("AZURE_ENDPOINT=http://" + e.getHost() + ":" + e.getPort());
      out.println("AZURE_PORT=" + e.getPort());
      out.println("AZURE_CONTAINERS=" + azure.stream()
          .map(u -> u.role() + ":" + u.account() + "/" + u.bucket())
          .collect(Collectors.joining(" ")));
      Map<String, String> accounts = new LinkedHashMap<>();
      for (Use u : azure) {
        String had = accounts.putIfAbsent(u.account(), u.key());
        if (had != null && !had.equals(u.key())) {
          throw new ConfigException("'" + u.setting() + ".azure.accountKeyEnv' gives the account "
              + u.account() + " another key than an earlier repository on the same Azurite");
        }
      }
      out.println("AZURE_ACCOUNTS=" + accounts.entrySet().stream()
          .map(a -> a.getKey() + ":" + a.getValue()).collect(Collectors.joining(";")));
    }
  }
}
