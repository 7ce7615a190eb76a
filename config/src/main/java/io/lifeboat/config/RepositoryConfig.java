package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where backups live. Credentials are given by the names of environment variables that the
 * worker reads, so a workflow's history never holds a key.
 *
 * @param serverSideEncryption none, AES256 or aws:kms
 * @param localCopyDir when set, every stored object is also written here (the seed's "S3 + local")
 * @param maxUploadMbPerSecond 0 for no limit; operators cap backup bandwidth on shared links
 * @param encryption client-side encryption of every stored object (null: objects are stored as
 *     compressed plaintext; manifests and reports stay readable either way)
 */
public record RepositoryConfig(
    @JsonProperty(required = true) String endpoint,
    @JsonProperty(required = true) String bucket,
    String prefix,
    String region,
    Boolean pathStyle,
    @JsonProperty(required = true) String accessKeyEnv,
    @JsonProperty(required = true) String secretKeyEnv,
    String serverSideEncryption,
    String storageClass,
    String localCopyDir,
    Integer partSizeMb,
    Integer maxUploadMbPerSecond,
    EncryptionConfig encryption) {

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
  }

  private static String stripSlashes(String p) {
    String s = p;
    while (s.startsWith("/")) s = s.substring(1);
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
  }
}
