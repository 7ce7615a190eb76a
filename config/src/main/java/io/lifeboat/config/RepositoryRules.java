package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

/** The checks of where the repository is: S3, Google Cloud Storage or Azure Blob. */
final class RepositoryRules {
  private RepositoryRules() {}

  static void validate(String where, RepositoryConfig r) {
    switch (r.type()) {
      case "s3" -> s3(where, r);
      case "gcs" -> gcs(where, r);
      case "azure" -> azure(where, r);
      default -> throw new ConfigException(where + ": 'repository.type' must be s3, gcs or azure,"
          + " not '" + abbreviate(r.type()) + "'");
    }
  }

  private static void s3(String where, RepositoryConfig r) {
    requireValue(where, "repository.endpoint", r.endpoint());
    requireValue(where, "repository.bucket", r.bucket());
    requireValue(where, "repository.accessKeyEnv", r.accessKeyEnv());
    requireValue(where, "repository.secretKeyEnv", r.secretKeyEnv());
    requireUrl(where, r);
    if (!r.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": 'repository.bucket' is not a valid S3 bucket name: '"
          + r.bucket() + "'");
    }
    requireEnvName(where, "repository.accessKeyEnv", r.accessKeyEnv());
    requireEnvName(where, "repository.secretKeyEnv", r.secretKeyEnv());
    if (r.gcs() != null || r.azure() != null) {
      throw new ConfigException(where + ": 'repository." + (r.gcs() != null ? "gcs" : "azure")
          + "' is set but repository.type is s3 (set type: gcs or azure)");
    }
  }

  private static void gcs(String where, RepositoryConfig r) {
    requireValue(where, "repository.bucket", r.bucket());
    if (!r.bucket().matches("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")) {
      throw new ConfigException(where + ": 'repository.bucket' is not a valid GCS bucket name: '"
          + abbreviate(r.bucket()) + "'");
    }
    if (r.endpoint() != null) requireUrl(where, r);
    if (r.azure() != null) {
      throw new ConfigException(where + ": 'repository.azure' is set but repository.type is gcs");
    }
    notS3(where, r, "gcs");
  }

  private static void azure(String where, RepositoryConfig r) {
    RepositoryConfig.AzureConfig a = r.azure();
    if (a == null) {
      throw new ConfigException(where + ": 'repository.azure' is missing: repository.type azure"
          + " needs account and accountKeyEnv, or connectionStringEnv");
    }
    requireValue(where, "repository.azure.container", r.bucket());
    if (!r.bucket().matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": '" + (a.container() != null ? "repository.azure.container"
          : "repository.bucket") + "' is not a valid Azure container name: '"
          + abbreviate(r.bucket()) + "'");
    }
    if (a.connectionStringEnv() != null) {
      if (a.account() != null || a.accountKeyEnv() != null) {
        throw new ConfigException(where + ": 'repository.azure' takes connectionStringEnv or"
            + " account with accountKeyEnv, not both");
      }
      requireEnvName(where, "repository.azure.connectionStringEnv", a.connectionStringEnv());
    } else {
      requireValue(where, "repository.azure.account", a.account());
      requireValue(where, "repository.azure.accountKeyEnv", a.accountKeyEnv());
      requireEnvName(where, "repository.azure.accountKeyEnv", a.accountKeyEnv());
      requireUrl(where, r);
    }
    if (a.container() != null && !a.container().equals(r.bucket())) {
      throw new ConfigException(where + ": 'repository.azure.container' and 'repository.bucket'"
          + " name different containers");
    }
    if (r.gcs() != null) {
      throw new ConfigException(where + ": 'repository.gcs' is set but repository.type is azure");
    }
    notS3(where, r, "azure");
  }

  private static void notS3(String where, RepositoryConfig r, String type) {
    if (r.accessKeyEnv() != null || r.secretKeyEnv() != null) {
      throw new ConfigException(where + ": 'repository.accessKeyEnv/secretKeyEnv' are S3 settings;"
          + " repository.type " + type + " takes its credentials from repository." + type);
    }
    if (!"none".equals(r.serverSideEncryption()) || !"STANDARD".equals(r.storageClass())) {
      throw new ConfigException(where + ": 'repository.serverSideEncryption/storageClass' are S3"
          + " settings; use repository.encryption (client-side) with repository.type " + type);
    }
  }

  private static void requireUrl(String where, RepositoryConfig r) {
    if (!r.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
      throw new ConfigException(where + ": 'repository.endpoint' must be an http(s) URL, not '"
          + r.endpoint() + "'");
    }
  }
}
