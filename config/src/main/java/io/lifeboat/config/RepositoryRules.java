package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

/** The checks of where the repository is: S3, Google Cloud Storage or Azure Blob. */
final class RepositoryRules {
  private RepositoryRules() {}

  static void validate(String where, RepositoryConfig r) {
    validate(where, "repository", r);
  }

  /**
   * The same checks for a repository at another place of the file: {@code section} is the
   * setting's path ("repository", or "repositories[1]" for a copy repository of type gcs or
   * azure), so the one-line errors name it as the primary's name theirs.
   */
  static void validate(String where, String s, RepositoryConfig r) {
    switch (r.type()) {
      case "s3" -> s3(where, s, r);
      case "gcs" -> gcs(where, s, r);
      case "azure" -> azure(where, s, r);
      default -> throw new ConfigException(where + ": '" + s + ".type' must be s3, gcs or azure,"
          + " not '" + abbreviate(r.type()) + "'");
    }
  }

  private static void s3(String where, String s, RepositoryConfig r) {
    requireValue(where, s + ".endpoint", r.endpoint());
    requireValue(where, s + ".bucket", r.bucket());
    requireValue(where, s + ".accessKeyEnv", r.accessKeyEnv());
    requireValue(where, s + ".secretKeyEnv", r.secretKeyEnv());
    requireUrl(where, s, r);
    if (!r.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": '" + s + ".bucket' is not a valid S3 bucket name: '"
          + r.bucket() + "'");
    }
    requireEnvName(where, s + ".accessKeyEnv", r.accessKeyEnv());
    requireEnvName(where, s + ".secretKeyEnv", r.secretKeyEnv());
    if (r.gcs() != null || r.azure() != null) {
      throw new ConfigException(where + ": '" + s + "." + (r.gcs() != null ? "gcs" : "azure")
          + "' is set but " + s + ".type is s3 (set type: gcs or azure)");
    }
  }

  private static void gcs(String where, String s, RepositoryConfig r) {
    requireValue(where, s + ".bucket", r.bucket());
    if (!r.bucket().matches("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")) {
      throw new ConfigException(where + ": '" + s + ".bucket' is not a valid GCS bucket name: '"
          + abbreviate(r.bucket()) + "'");
    }
    if (r.endpoint() != null) requireUrl(where, s, r);
    if (r.azure() != null) {
      throw new ConfigException(where + ": '" + s + ".azure' is set but " + s + ".type is gcs");
    }
    notS3(where, s, r, "gcs");
  }

  private static void azure(String where, String s, RepositoryConfig r) {
    RepositoryConfig.AzureConfig a = r.azure();
    if (a == null) {
      throw new ConfigException(where + ": '" + s + ".azure' is missing: " + s + ".type azure"
          + " needs account and accountKeyEnv, or connectionStringEnv");
    }
    requireValue(where, s + ".azure.container", r.bucket());
    if (!r.bucket().matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": '" + (a.container() != null ? s + ".azure.container"
          : s + ".bucket") + "' is not a valid Azure container name: '"
          + abbreviate(r.bucket()) + "'");
    }
    if (a.connectionStringEnv() != null) {
      if (a.account() != null || a.accountKeyEnv() != null) {
        throw new ConfigException(where + ": '" + s + ".azure' takes connectionStringEnv or"
            + " account with accountKeyEnv, not both");
      }
      requireEnvName(where, s + ".azure.connectionStringEnv", a.connectionStringEnv());
    } else {
      requireValue(where, s + ".azure.account", a.account());
      requireValue(where, s + ".azure.accountKeyEnv", a.accountKeyEnv());
      requireEnvName(where, s + ".azure.accountKeyEnv", a.accountKeyEnv());
      requireUrl(where, s, r);
    }
    if (a.container() != null && !a.container().equals(r.bucket())) {
      throw new ConfigException(where + ": '" + s + ".azure.container' and '" + s + ".bucket'"
          + " name different containers");
    }
    if (r.gcs() != null) {
      throw new ConfigException(where + ": '" + s + ".gcs' is set but " + s + ".type is azure");
    }
    notS3(where, s, r, "azure");
  }

  private static void notS3(String where, String s, RepositoryConfig r, String type) {
    if (r.accessKeyEnv() != null || r.secretKeyEnv() != null) {
      throw new ConfigException(where + ": '" + s + ".accessKeyEnv/secretKeyEnv' are S3 settings;"
          + " " + s + ".type " + type + " takes its credentials from " + s + "." + type);
    }
    if (!"none".equals(r.serverSideEncryption()) || !"STANDARD".equals(r.storageClass())) {
      throw new ConfigException(where + ": '" + s + ".serverSideEncryption/storageClass' are S3"
          + " settings; use " + s + ".encryption (client-side) with " + s + ".type " + type);
    }
  }

  private static void requireUrl(String where, String s, RepositoryConfig r) {
    if (!r.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
      throw new ConfigException(where + ": '" + s + ".endpoint' must be an http(s) URL, not '"
          + r.endpoint() + "'");
    }
  }
}
