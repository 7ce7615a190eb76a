package io.lifeboat.config;

/**
 * The second repository of the 3-2-1 rule: another bucket, usually at another provider or in
 * another region, that receives a copy of every committed backup and of the WAL archive.
 * Credentials are names of environment variables, as for the primary repository.
 *
 * @param prefix defaults to the primary's prefix, so the copied manifests' object keys are
 *     valid as they are and a config pointed at the offsite bucket recovers from it unchanged
 * @param retention the offsite copy's own policy (it usually keeps more and longer)
 * @param objectLock S3 Object Lock retention for every copied object, when the bucket has
 *     Object Lock enabled; ignored (and recorded as unavailable) where it has not
 * @param type s3 (the default), gcs or azure, with the {@code gcs} or {@code azure} section
 *     exactly as for the primary repository (issue 20)
 * @param verifyAfterCopy read every copied object back from the offsite bucket and compare
 *     its SHA-256 (on by default; off only for a link that is paid per byte read)
 */
public record OffsiteConfig(
    String endpoint,
    String bucket,
    String prefix,
    String region,
    Boolean pathStyle,
    String accessKeyEnv,
    String secretKeyEnv,
    Integer partSizeMb,
    Retention retention,
    ObjectLock objectLock,
    Boolean verifyAfterCopy,
    Integer walSyncMinutes,
    String name,
    String type,
    java.util.List<OffsiteConfig> siblings,
    RepositoryConfig.GcsConfig gcs,
    RepositoryConfig.AzureConfig azure) {

  /** The name of the one repository an {@code offsite:} section describes. */
  public static final String DEFAULT_NAME = "offsite";

  /** The shape before gcs and azure copies: call sites that predate them keep compiling. */
  public OffsiteConfig(String endpoint, String bucket, String prefix, String region,
      Boolean pathStyle, String accessKeyEnv, String secretKeyEnv, Integer partSizeMb,
      Retention retention, ObjectLock objectLock, Boolean verifyAfterCopy,
      Integer walSyncMinutes, String name, String type, java.util.List<OffsiteConfig> siblings) {
    this(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv, secretKeyEnv, partSizeMb,
        retention, objectLock, verifyAfterCopy, walSyncMinutes, name, type, siblings, null, null);
  }

  /** The shape before issue 20's repository list: call sites that predate it keep compiling. */
  public OffsiteConfig(String endpoint, String bucket, String prefix, String region,
      Boolean pathStyle, String accessKeyEnv, String secretKeyEnv, Integer partSizeMb,
      Retention retention, ObjectLock objectLock, Boolean verifyAfterCopy,
      Integer walSyncMinutes) {
    this(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv, secretKeyEnv, partSizeMb,
        retention, objectLock, verifyAfterCopy, walSyncMinutes, null, null, null);
  }

  /** The shape before walSyncMinutes: call sites that predate it keep compiling. */
  public OffsiteConfig(String endpoint, String bucket, String prefix, String region,
      Boolean pathStyle, String accessKeyEnv, String secretKeyEnv, Integer partSizeMb,
      Retention retention, ObjectLock objectLock, Boolean verifyAfterCopy) {
    this(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv, secretKeyEnv, partSizeMb,
        retention, objectLock, verifyAfterCopy, null);
  }

  public OffsiteConfig {
    // Requests and histories recorded before issue 20 carry no name: they are "offsite".
    // (name stays null in the record; repositoryName() answers DEFAULT_NAME for it)
    type = type != null ? type : "s3";
    // As for the primary: the Azure container may be given as azure.container, and a shared
    // key's endpoint defaults to the account's.
    if (bucket == null && azure != null) bucket = azure.container();
    if ("azure".equals(type) && (endpoint == null || endpoint.isBlank()) && azure != null
        && azure.account() != null && azure.connectionStringEnv() == null) {
      endpoint = "https://" + azure.account() + ".blob.core.windows.net";
    }
    siblings = siblings == null ? java.util.List.of() : java.util.List.copyOf(siblings);
    region = region != null ? region : "us-east-1";
    pathStyle = pathStyle != null ? pathStyle : Boolean.TRUE;
    partSizeMb = partSizeMb != null ? partSizeMb : 16;
    retention = retention != null ? retention : Retention.DEFAULT;
    verifyAfterCopy = verifyAfterCopy != null ? verifyAfterCopy : Boolean.TRUE;
    if (prefix != null) {
      while (prefix.startsWith("/")) prefix = prefix.substring(1);
      while (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
    }
  }

  /**
   * This repository with the other copy repositories of the config attached ({@code
   * siblings}): the first repository of {@code repositories:} carries the rest, so every
   * request that names "the offsite" (backup requests, recorded histories) reaches all of them
   * without a new field in each request. Set by the loader only; a YAML value is refused.
   */
  public OffsiteConfig withSiblings(java.util.List<OffsiteConfig> others) {
    return new OffsiteConfig(endpoint, bucket, prefix, region, pathStyle, accessKeyEnv,
        secretKeyEnv, partSizeMb, retention, objectLock, verifyAfterCopy, walSyncMinutes, name,
        type, others, gcs, azure);
  }

  /**
   * Its name; "offsite" for the {@code offsite:} section and for values without one ({@code
   * name} itself stays null there, so a value crosses the workflow boundary unchanged).
   */
  public String repositoryName() {
    return name != null ? name : DEFAULT_NAME;
  }

  /** Whether the file (or request) gave a name. */
  public boolean named() {
    return name != null;
  }

  /** This repository alone (what one copy run needs). */
  public OffsiteConfig alone() {
    return siblings.isEmpty() ? this : withSiblings(null);
  }

  /** Every copy repository this value names: itself (alone) first, then its siblings. */
  public java.util.List<OffsiteConfig> all() {
    java.util.List<OffsiteConfig> all = new java.util.ArrayList<>();
    all.add(alone());
    all.addAll(siblings);
    return java.util.List.copyOf(all);
  }

  /** The offsite prefix, the primary's when none is set. */
  public String prefixOr(String primaryPrefix) {
    return prefix != null ? prefix : primaryPrefix;
  }

  /**
   * How often the WAL-only sync schedule copies new segments offsite: {@code walSyncMinutes}
   * when set, else a third of the RPO (at least 1 minute, at most 15), so that the offsite
   * recovery point (newest sync, plus the sync's own duration) stays within
   * {@code targets.rpoMinutes}.
   */
  public int walSyncEveryMinutes(int rpoMinutes) {
    if (walSyncMinutes != null && walSyncMinutes > 0) return walSyncMinutes;
    return Math.max(1, Math.min(15, rpoMinutes / 3));
  }

  /**
   * The offsite bucket as a repository to recover from: its endpoint, bucket, prefix and
   * credentials, with the primary's client-side encryption (the copies are the primary's
   * objects, byte for byte, so the same repository key decrypts them). Nothing is written
   * through it but reports, so no local copy, storage class or upload cap.
   */
  public RepositoryConfig asRecoveryRepository(RepositoryConfig primary) {
    return new RepositoryConfig(endpoint, bucket, prefixOr(primary.prefix()), region, pathStyle,
        accessKeyEnv, secretKeyEnv, null, null, null, partSizeMb, null, primary.encryption(),
        type, gcs, azure);
  }

  /** The offsite bucket as a repository, for the storage code that reads and lists. */
  public RepositoryConfig asRepository(String primaryPrefix) {
    return new RepositoryConfig(endpoint, bucket, prefixOr(primaryPrefix), region, pathStyle,
        accessKeyEnv, secretKeyEnv, null, null, null, partSizeMb, null, null, type, gcs, azure);
  }

  /**
   * @param days every copy younger than this is kept
   * @param monthly and the newest copy of each of the last N calendar months (UTC)
   */
  public record Retention(Integer days, Integer monthly) {
    public static final Retention DEFAULT = new Retention(null, null);

    public Retention {
      days = days != null ? days : 90;
      monthly = monthly != null ? monthly : 12;
    }
  }

  /** @param mode GOVERNANCE (an administrator may lift it) or COMPLIANCE (nobody may) */
  public record ObjectLock(String mode, Integer days) {
    public ObjectLock {
      mode = mode != null ? mode : "GOVERNANCE";
      days = days != null ? days : 30;
    }
  }
}
