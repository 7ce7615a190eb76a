package io.lifeboat.config;

import java.util.List;

/**
 * The repositories a recovery can read from, by name: {@code primary} ({@code repository:})
 * and {@code offsite} ({@code offsite:}, when configured). The one place a name becomes a
 * {@link RepositoryConfig}, so a request carries the resolved repository and its name, and
 * the workflow passes both along without knowing which it is.
 */
public final class RepositoryChoice {
  public static final String PRIMARY = "primary";
  public static final String OFFSITE = "offsite";

  private RepositoryChoice() {}

  /** The names this config offers, primary first. */
  public static List<String> names(LifeboatConfig config) {
    return config.offsite() == null ? List.of(PRIMARY) : List.of(PRIMARY, OFFSITE);
  }

  /**
   * The repository named {@code name} (null: primary).
   *
   * @throws ConfigException for an unknown name, or offsite without an {@code offsite:} section
   */
  public static RepositoryConfig resolve(LifeboatConfig config, String name) {
    String n = name == null ? PRIMARY : name;
    if (PRIMARY.equals(n)) return config.repository();
    if (OFFSITE.equals(n)) {
      if (config.offsite() == null) {
        throw new ConfigException("--from offsite: the config has no 'offsite' section, so"
            + " there is no offsite repository to recover from");
      }
      return config.offsite().asRecoveryRepository(config.repository());
    }
    throw new ConfigException("--from '" + shorten(n) + "' is not a repository of this config;"
        + " it has " + String.join(", ", names(config)));
  }

  /** One line: "offsite (http://127.0.0.1:9100, bucket farmtally-offsite, prefix lifeboat)". */
  public static String describe(String name, RepositoryConfig repo) {
    return (name == null ? PRIMARY : name) + " (" + repo.endpoint() + ", bucket " + repo.bucket()
        + ", prefix " + repo.prefix() + ")";
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
