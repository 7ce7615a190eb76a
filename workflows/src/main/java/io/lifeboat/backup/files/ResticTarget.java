package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;

/**
 * What every step of a files backup needs (the name is from when restic was the only engine): the source (paths, excludes, the password's variable name) and
 * the object store it lives in. Holds names of secrets only.
 *
 * @param runTag the tag the backup's snapshot carries ({@code lifeboat-run=WORKFLOW_ID}), so a
 *     retried backup finds the snapshot a lost attempt already made instead of taking another
 * @param repositoryAddress where {@code files.repositoryHost()} is reached over ssh (its
 *     address in {@code hosts:}); null: borg's or rsync's repository is on the source's host
 */
public record ResticTarget(FilesConfig files, RepositoryConfig repository, String runTag,
    String reason, String repositoryAddress) {

  /** The repository on the source's host (or in the object store): the shape before ssh. */
  public ResticTarget(FilesConfig files, RepositoryConfig repository, String runTag,
      String reason) {
    this(files, repository, runTag, reason, null);
  }

  /**
   * restic's address of the repository: {@code s3:ENDPOINT/BUCKET/PREFIX/files/NAME}; duplicity's
   * {@code boto3+s3://BUCKET/PREFIX/files/NAME}; borg's
   * repository or rsync's mirror: its path (on the source's host), or on a repository host
   * {@code ssh://[USER@]ADDRESS/PATH}.
   */
  public String url() {
    if (files.duplicity()) {
      return "boto3+s3://" + repository.bucket() + "/" + keyPrefix(repository, files.name());
    }
    if (files.restic()) return url(repository, files.name());
    return remoteUrl(files, repositoryAddress);
  }

  /** {@code ssh://[USER@]ADDRESS/PATH} (IPv6 in brackets) for a remote repository, else the path. */
  public static String remoteUrl(FilesConfig files, String address) {
    if (!files.remoteRepository() || address == null) return files.repositoryPath();
    String host = address.contains(":") ? "[" + address + "]" : address;
    return "ssh://" + (files.repositoryUser() == null ? "" : files.repositoryUser() + "@") + host
        + files.repositoryPath();
  }

  public static String url(RepositoryConfig repository, String name) {
    String endpoint = repository.endpoint();
    while (endpoint.endsWith("/")) endpoint = endpoint.substring(0, endpoint.length() - 1);
    return "s3:" + endpoint + "/" + repository.bucket() + "/" + keyPrefix(repository, name);
  }

  /** The object keys restic writes, below the bucket: {@code PREFIX/files/NAME}. */
  public static String keyPrefix(RepositoryConfig repository, String name) {
    return repository.prefix() + "/files/" + name;
  }

  /** Where Lifeboat's manifest of one backup is: {@code PREFIX/files-manifests/NAME/ID/manifest.json}. */
  public static String manifestKey(RepositoryConfig repository, String name, String backupId) {
    return repository.prefix() + "/files-manifests/" + name + "/" + backupId + "/manifest.json";
  }
}
