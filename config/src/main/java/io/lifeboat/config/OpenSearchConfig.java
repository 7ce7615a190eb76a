package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One OpenSearch (or Elasticsearch) node or cluster to protect ({@code opensearch:}, issue 19).
 * Backups talk to its REST API ({@code _snapshot}) and read the files the node wrote into its
 * {@code fs} snapshot repository, so the shipping and the scratch restores run on the machine
 * named by {@code host} (the agent of that {@code hosts[].name}; unset on a one-machine estate).
 *
 * @param name what operators type ({@code lifeboat backup opensearch NAME})
 * @param host the estate's host whose disk holds {@code snapshotDir}; null: this machine
 * @param url the REST endpoint, e.g. {@code http://127.0.0.1:9200}
 * @param usernameEnv the environment variable holding a basic-auth user; null: no auth
 * @param passwordEnv the environment variable holding that user's password
 * @param repository the snapshot repository's name on the node (default {@code lifeboat});
 *     Lifeboat registers it as an {@code fs} repository at snapshotDir when it is absent
 * @param snapshotDir the fs repository's directory on the node's host; it must lie under the
 *     node's {@code path.repo}
 * @param scratchDir where verification and recovery put the files they fetch back (scratch
 *     read-only repositories); must lie under {@code path.repo} too; default: the directory
 *     {@code lifeboat-scratch} beside snapshotDir
 * @param indices the index pattern snapshotted (default {@code *,-.*}: every index but the
 *     dot-prefixed system ones)
 */
public record OpenSearchConfig(
    @JsonProperty(required = true) String name,
    String host,
    @JsonProperty(required = true) String url,
    String usernameEnv,
    String passwordEnv,
    String repository,
    @JsonProperty(required = true) String snapshotDir,
    String scratchDir,
    String indices,
    String backupSchedule) {

  /** Without a schedule of its own (the nightly default). */
  public OpenSearchConfig(String name, String host, String url, String usernameEnv,
      String passwordEnv, String repository, String snapshotDir, String scratchDir,
      String indices) {
    this(name, host, url, usernameEnv, passwordEnv, repository, snapshotDir, scratchDir, indices,
        null);
  }

  public OpenSearchConfig {
    repository = repository != null ? repository : "lifeboat";
    indices = indices != null ? indices : "*,-.*";
    backupSchedule = backupSchedule != null ? backupSchedule : DatabaseConfig.DEFAULT_BACKUP_SCHEDULE;
    url = url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** scratchDir, or {@code lifeboat-scratch} beside snapshotDir. */
  public String scratchRoot() {
    if (scratchDir != null) return scratchDir;
    java.nio.file.Path parent = java.nio.file.Path.of(snapshotDir).getParent();
    return (parent != null ? parent : java.nio.file.Path.of("/")).resolve("lifeboat-scratch")
        .toString();
  }
}
