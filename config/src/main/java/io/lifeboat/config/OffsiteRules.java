package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

import java.util.List;

/**
 * The checks of the offsite copy (issue #8): another bucket than the primary, with sane limits.
 */
final class OffsiteRules {
  private OffsiteRules() {}

  static void validate(String where, LifeboatConfig c) {
    OffsiteConfig o = c.offsite();
    if (o == null) return;
    requireValue(where, "offsite.endpoint", o.endpoint());
    requireValue(where, "offsite.bucket", o.bucket());
    requireValue(where, "offsite.accessKeyEnv", o.accessKeyEnv());
    requireValue(where, "offsite.secretKeyEnv", o.secretKeyEnv());
    if (!o.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
      throw new ConfigException(where + ": 'offsite.endpoint' must be an http(s) URL, not '"
          + abbreviate(o.endpoint()) + "'");
    }
    if (!o.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": 'offsite.bucket' is not a valid S3 bucket name: '"
          + abbreviate(o.bucket()) + "'");
    }
    RepositoryConfig r = c.repository();
    String prefix = o.prefixOr(r.prefix());
    if (prefix.contains("..")) {
      throw new ConfigException(where + ": 'offsite.prefix' must not contain '..'");
    }
    // A copy into the very place it is read from would be no copy at all. Only an S3 primary
    // can be that place (the offsite is S3); a GCS or Azure one may have no endpoint at all.
    if ("s3".equals(r.type()) && r.endpoint() != null
        && o.endpoint().replaceAll("/+$", "").equals(r.endpoint().replaceAll("/+$", ""))
        && o.bucket().equals(r.bucket()) && prefix.equals(r.prefix())) {
      throw new ConfigException(where + ": 'offsite' is the primary repository itself (same"
          + " endpoint, bucket and prefix); give it another bucket or endpoint");
    }
    requireEnvName(where, "offsite.accessKeyEnv", o.accessKeyEnv());
    requireEnvName(where, "offsite.secretKeyEnv", o.secretKeyEnv());
    if (o.partSizeMb() < 5 || o.partSizeMb() > 512) {
      throw new ConfigException(where + ": 'offsite.partSizeMb' must be between 5 and 512"
          + " (S3's smallest part is 5 MiB)");
    }
    if (o.retention().days() < 1 || o.retention().monthly() < 0) {
      throw new ConfigException(where + ": 'offsite.retention.days' must be at least 1 and"
          + " 'offsite.retention.monthly' 0 or more");
    }
    OffsiteConfig.ObjectLock lock = o.objectLock();
    if (lock != null) {
      if (!List.of("GOVERNANCE", "COMPLIANCE").contains(lock.mode())) {
        throw new ConfigException(where + ": 'offsite.objectLock.mode' must be GOVERNANCE or"
            + " COMPLIANCE, not '" + abbreviate(lock.mode()) + "'");
      }
      if (lock.days() < 1 || lock.days() > 36500) {
        throw new ConfigException(where + ": 'offsite.objectLock.days' must be between 1 and"
            + " 36500");
      }
      // Retention would try to delete copies the lock still protects, every run.
      if (lock.days() > o.retention().days()) {
        throw new ConfigException(where + ": 'offsite.objectLock.days' (" + lock.days()
            + ") is longer than 'offsite.retention.days' (" + o.retention().days()
            + "); locked copies could not be expired");
      }
    }
  }
}
