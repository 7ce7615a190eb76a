package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

import java.util.List;

/**
 * The checks of the offsite copy (issue #8): another bucket than the primary, with sane limits.
 */
final class OffsiteRules {
  private OffsiteRules() {}

  /**
   * Issue 20: {@code offsite:} (one repository, named "offsite") or {@code repositories:} (a
   * list of named ones), never both; each checked; the result has {@code repositories} listing
   * every copy repository and {@code offsite} the first one carrying the others as siblings, so
   * every request that names the offsite reaches them all.
   */
  static LifeboatConfig normalize(String where, LifeboatConfig c) {
    List<OffsiteConfig> repos;
    if (c.offsite() != null && !c.repositories().isEmpty()) {
      throw new ConfigException(where + ": 'offsite' and 'repositories' are both set; use one"
          + " ('repositories:' is the list form of 'offsite:')");
    }
    if (c.offsite() != null) {
      if (!c.offsite().siblings().isEmpty()) {
        throw new ConfigException(where + ": 'offsite.siblings' is not a setting; list the"
            + " repositories under 'repositories:'");
      }
      if (c.offsite().named()) {
        throw new ConfigException(where + ": 'offsite' has no 'name' (it is 'offsite'); name"
            + " repositories under 'repositories:'");
      }
      validate(where, "offsite", c.offsite(), c.repository());
      repos = List.of(c.offsite());
    } else if (!c.repositories().isEmpty()) {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < c.repositories().size(); i++) {
        OffsiteConfig o = c.repositories().get(i);
        String key = "repositories[" + i + "]";
        if (o == null) throw new ConfigException(where + ": '" + key + "' is empty");
        if (!o.named()) {
          throw new ConfigException(where + ": '" + key + ".name' is required (the name"
              + " `--from NAME`, `offsite sync --repository NAME` and the metrics use)");
        }
        requireName(where, key + ".name", o.name());
        if (o.name().equals(RepositoryChoice.PRIMARY)) {
          throw new ConfigException(where + ": '" + key + ".name' must not be 'primary' (the"
              + " name of 'repository:')");
        }
        if (!names.add(o.name())) {
          throw new ConfigException(where + ": '" + key + ".name' repeats '" + o.name() + "'");
        }
        if (!o.siblings().isEmpty()) {
          throw new ConfigException(where + ": '" + key + ".siblings' is not a setting");
        }
        validate(where, key, o, c.repository());
      }
      repos = c.repositories();
    } else {
      return c;
    }
    OffsiteConfig first = repos.get(0).withSiblings(repos.subList(1, repos.size()));
    return new LifeboatConfig(c.estate(), c.temporal(), c.repository(), c.databases(),
        c.retention(), c.schedules(), c.targets(), c.compression(), c.metrics(), c.retries(),
        c.verification(), c.checks(), c.notifications(), c.applications(), c.configuration(),
        c.wal(), c.drills(), c.servers(), first, c.hosts(), c.redis(), c.files(), c.worker(),
        c.opensearch(), c.readiness(), c.approvals(), c.mariadb(), c.restorePoints(), repos,
        c.bacula());
  }

  static void validate(String where, String at, OffsiteConfig o, RepositoryConfig r) {
    String prefix = o.prefixOr(r.prefix());
    if (prefix.contains("..")) {
      throw new ConfigException(where + ": '" + at + ".prefix' must not contain '..'");
    }
    switch (o.type()) {
      case "s3" -> s3(where, at, o, r, prefix);
      // The primary's own checks, naming this section: the same one-line errors.
      case "gcs", "azure" -> RepositoryRules.validate(where, at, o.asRepository(r.prefix()));
      default -> throw new ConfigException(where + ": '" + at + ".type' must be s3, gcs or"
          + " azure, not '" + abbreviate(o.type()) + "'");
    }
    if (!"s3".equals(o.type()) && o.type().equals(r.type())
        && o.bucket().equals(r.bucket()) && prefix.equals(r.prefix())
        && java.util.Objects.equals(o.endpoint(), r.endpoint())) {
      throw new ConfigException(where + ": '" + at + "' is the primary repository itself (same"
          + " type, endpoint, bucket and prefix); give it another bucket or endpoint");
    }
    common(where, at, o);
  }

  private static void s3(String where, String at, OffsiteConfig o, RepositoryConfig r,
      String prefix) {
    // Absent keys read as before the keys became optional (types other than s3 need none).
    for (String[] k : new String[][] {{"endpoint", o.endpoint()}, {"bucket", o.bucket()},
        {"accessKeyEnv", o.accessKeyEnv()}, {"secretKeyEnv", o.secretKeyEnv()}}) {
      if (k[1] == null) throw new ConfigException(where + ": missing key '" + at + "." + k[0] + "'");
    }
    requireValue(where, at + ".endpoint", o.endpoint());
    requireValue(where, at + ".bucket", o.bucket());
    requireValue(where, at + ".accessKeyEnv", o.accessKeyEnv());
    requireValue(where, at + ".secretKeyEnv", o.secretKeyEnv());
    if (o.gcs() != null || o.azure() != null) {
      throw new ConfigException(where + ": '" + at + "." + (o.gcs() != null ? "gcs" : "azure")
          + "' is set but " + at + ".type is s3 (set type: gcs or azure)");
    }
    if (!o.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
      throw new ConfigException(where + ": '" + at + ".endpoint' must be an http(s) URL, not '"
          + abbreviate(o.endpoint()) + "'");
    }
    if (!o.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": '" + at + ".bucket' is not a valid S3 bucket name: '"
          + abbreviate(o.bucket()) + "'");
    }
    // A copy into the very place it is read from would be no copy at all.
    if ("s3".equals(r.type()) && r.endpoint() != null
        && o.endpoint().replaceAll("/+$", "").equals(r.endpoint().replaceAll("/+$", ""))
        && o.bucket().equals(r.bucket()) && prefix.equals(r.prefix())) {
      throw new ConfigException(where + ": '" + at + "' is the primary repository itself (same"
          + " endpoint, bucket and prefix); give it another bucket or endpoint");
    }
    requireEnvName(where, at + ".accessKeyEnv", o.accessKeyEnv());
    requireEnvName(where, at + ".secretKeyEnv", o.secretKeyEnv());
  }

  private static void common(String where, String at, OffsiteConfig o) {
    if (o.partSizeMb() < 5 || o.partSizeMb() > 512) {
      throw new ConfigException(where + ": '" + at + ".partSizeMb' must be between 5 and 512"
          + " (S3's smallest part is 5 MiB)");
    }
    if (o.retention().days() < 1 || o.retention().monthly() < 0) {
      throw new ConfigException(where + ": '" + at + ".retention.days' must be at least 1 and"
          + " '" + at + ".retention.monthly' 0 or more");
    }
    OffsiteConfig.ObjectLock lock = o.objectLock();
    if (lock != null) {
      if (!List.of("GOVERNANCE", "COMPLIANCE").contains(lock.mode())) {
        throw new ConfigException(where + ": '" + at + ".objectLock.mode' must be GOVERNANCE or"
            + " COMPLIANCE, not '" + abbreviate(lock.mode()) + "'");
      }
      if (lock.days() < 1 || lock.days() > 36500) {
        throw new ConfigException(where + ": '" + at + ".objectLock.days' must be between 1 and"
            + " 36500");
      }
      // Retention would try to delete copies the lock still protects, every run.
      if (lock.days() > o.retention().days()) {
        throw new ConfigException(where + ": '" + at + ".objectLock.days' (" + lock.days()
            + ") is longer than '" + at + ".retention.days' (" + o.retention().days()
            + "); locked copies could not be expired");
      }
    }
  }
}
