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
    List<String> names = new java.util.ArrayList<>();
    names.add(PRIMARY);
    for (OffsiteConfig o : config.copyRepositories()) names.add(o.repositoryName());
    return List.copyOf(names);
  }

  /**
   * The copy repository named {@code name}; "offsite" is also the first copy repository when
   * none is named so (configs and scripts from before issue 20's {@code repositories:}).
   *
   * @throws ConfigException for a name the config does not have
   */
  public static OffsiteConfig copy(LifeboatConfig config, String name, String option) {
    if (config.copyRepositories().isEmpty()) {
      throw new ConfigException(option + " " + shorten(name) + ": the config has no 'offsite'"
          + " section (nor 'repositories'), so there is no offsite repository");
    }
    var named = config.copyRepository(name);
    if (named.isPresent()) return named.get();
    if (OFFSITE.equals(name)) return config.copyRepositories().get(0);
    throw new ConfigException(option + " '" + shorten(name) + "' is not a copy repository of"
        + " this config; it has " + String.join(", ", names(config).subList(1,
            names(config).size())));
  }

  /**
   * The repository named {@code name} (null: primary).
   *
   * @throws ConfigException for an unknown name, or offsite without an {@code offsite:} section
   */
  public static RepositoryConfig resolve(LifeboatConfig config, String name) {
    String n = name == null ? PRIMARY : name;
    if (PRIMARY.equals(n)) return config.repository();
    if (OFFSITE.equals(n) && config.copyRepositories().isEmpty()) {
      throw new ConfigException("--from offsite: the config has no 'offsite' section, so"
          + " there is no offsite repository to recover from");
    }
    if (OFFSITE.equals(n) || config.copyRepository(n).isPresent()) {
      return copy(config, n, "--from").asRecoveryRepository(config.repository());
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
