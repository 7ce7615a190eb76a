package io.lifeboat.config;

/**
 * Where backups live. Credentials are given by the names of environment variables that the
 * worker reads, so a workflow's history never holds a key.
 *
 * @param serverSideEncryption none, AES256 or aws:kms
 * @param localCopyDir when set, every stored object is also written here (the seed's "S3 + local")
 * @param maxUploadMbPerSecond 0 for no limit; operators cap backup bandwidth on shared links
 * @param encryption client-side encryption of every stored object (null: objects are stored as
 *     compressed plaintext; manifests and reports stay readable either way)
 * @param type s3 (the default), gcs or azure: which object store holds the repository. For
 *     gcs and azure, {@code bucket} is the GCS bucket or the Azure container, {@code endpoint} is
 *     optional (an emulator's or a private endpoint's URL), and the S3 keys are not used
 * @param gcs Google Cloud Storage settings (type gcs)
 * @param azure Azure Blob settings (type azure)
 */
public record RepositoryConfig(
    String endpoint,
    String bucket,
    String prefix,
    String region,
    Boolean pathStyle,
    String accessKeyEnv,
    String secretKeyEnv,
    String serverSideEncryption,
    String storageClass,
    String localCopyDir,
    Integer partSizeMb,
    Integer maxUploadMbPerSecond,
    EncryptionConfig encryption,
    String type,
    GcsConfig gcs,
    AzureConfig azure) {

  /** The S3 shape with encryption: call sites that predate the other stores keep compiling. */
  public RepositoryConfig(String endpoint, String bucket, String prefix, String region,
      Boolean pathStyle, String accessKeyEnv, String secretKeyEnv, String serverSideEncryption,
      String storageClass, String localCopyDir, Integer partSizeMb, Integer maxUploadMbPerSecond,
      EncryptionConfig encryption) {
    this(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv, secretKeyEnv,
        serverSideEncryption, storageClass, localCopyDir, partSizeMb, maxUploadMbPerSecond,
        encryption, null, null, null);
  }

  /**
   * @param projectId the project that owns the bucket (optional for an existing bucket)
   * @param credentialsFile a service-account JSON key file; "default" for the machine's
   *     application-default credentials; unset or "none" for no credentials (the emulator)
   */
  public record GcsConfig(String projectId, String credentialsFile) {}

  /**
   * Exactly one of {@code connectionStringEnv} (an environment variable holding the whole
   * connection string) or {@code account} with {@code accountKeyEnv} (the shared key's variable;
   * the endpoint defaults to https://ACCOUNT.blob.core.windows.net).
   *
   * @param container the container; an alternative spelling of repository.bucket
   */
  public record AzureConfig(String account, String accountKeyEnv, String connectionStringEnv,
      String container) {}

  /** The same settings with another local copy directory and encryption section. */
  public RepositoryConfig withLocal(String localCopyDir, EncryptionConfig encryption) {
    return new RepositoryConfig(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv,
        secretKeyEnv, serverSideEncryption, storageClass, localCopyDir, partSizeMb,
        maxUploadMbPerSecond, encryption, type, gcs, azure);
  }

  /** The old shape, without encryption: call sites that predate it keep compiling. */
  public RepositoryConfig(String endpoint, String bucket, String prefix, String region,
      Boolean pathStyle, String accessKeyEnv, String secretKeyEnv, String serverSideEncryption,
      String storageClass, String localCopyDir, Integer partSizeMb, Integer maxUploadMbPerSecond) {
    this(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv, secretKeyEnv,
        serverSideEncryption, storageClass, localCopyDir, partSizeMb, maxUploadMbPerSecond, null);
  }

  /**
   * Where the repository key is: a Tink StreamingAead keyset (JSON) in a file or in an
   * environment variable, by reference only, so no workflow argument ever holds the key. Exactly
   * one of the two is set (the loader says so in one line otherwise).
   */
  public record EncryptionConfig(String keyFile, String keyEnv) {}

  public RepositoryConfig {
    prefix = prefix != null ? stripSlashes(prefix) : "lifeboat";
    region = region != null ? region : "us-east-1";
    pathStyle = pathStyle != null ? pathStyle : Boolean.TRUE;
    serverSideEncryption = serverSideEncryption != null ? serverSideEncryption : "none";
    storageClass = storageClass != null ? storageClass : "STANDARD";
    partSizeMb = partSizeMb != null ? partSizeMb : 16;
    maxUploadMbPerSecond = maxUploadMbPerSecond != null ? maxUploadMbPerSecond : 0;
    type = type != null ? type : "s3";
    if (bucket == null && azure != null) bucket = azure.container();
    if ("azure".equals(type) && (endpoint == null || endpoint.isBlank()) && azure != null
        && azure.account() != null && azure.connectionStringEnv() == null) {
      endpoint = "https://" + azure.account() + ".blob.core.windows.net";
    }
  }

  private static String stripSlashes(String p) {
    String s = p;
    while (s.startsWith("/")) s = s.substring(1);
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
  }
}
