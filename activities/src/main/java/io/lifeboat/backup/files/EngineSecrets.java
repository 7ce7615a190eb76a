package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import java.util.Map;

/** What the files engines read from the worker's environment: their binary and their keys. */
final class EngineSecrets {
  private EngineSecrets() {}

  /** The tool's path from {@code variable} (a test's wrapper, a host's own build), else its name. */
  static String bin(Secrets secrets, String variable, String tool) {
    String bin = secrets.optional(variable);
    return bin == null || bin.isBlank() ? tool : bin;
  }

  /** The source's passphrase (borg's, duplicity's GPG one); unset is the config's fault. */
  static String passphrase(Secrets secrets, FilesConfig f) {
    String pass = secrets.optional(f.passwordEnv());
    if (pass == null || pass.isEmpty()) {
      throw FailureKind.CONFIG_INVALID.failure(f.passwordEnv() + " (" + f.passwordPurpose()
          + ") is not set");
    }
    return pass;
  }

  /** The repository's S3 keys and region as the AWS tools read them (restic, duplicity's boto3). */
  static void putS3(Map<String, String> env, Secrets secrets, RepositoryConfig repo) {
    env.put("AWS_ACCESS_KEY_ID", secrets.require(repo.accessKeyEnv(), "repository access key"));
    env.put("AWS_SECRET_ACCESS_KEY", secrets.require(repo.secretKeyEnv(), "repository secret key"));
    env.put("AWS_DEFAULT_REGION", repo.region());
  }
}
