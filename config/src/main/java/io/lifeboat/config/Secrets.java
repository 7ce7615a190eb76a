package io.lifeboat.config;

import java.util.Map;

/**
 * Resolves secrets by reference. The map is the process environment in production and a
 * hand-made one in tests, which is how a test can give one worker wrong credentials.
 */
public final class Secrets {
  private final Map<String, String> env;

  public Secrets(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static Secrets fromEnvironment() {
    return new Secrets(System.getenv());
  }

  /** The value of the named variable; a clear message names what is missing. */
  public String require(String variable, String purpose) {
    String v = variable == null ? null : env.get(variable);
    if (v == null || v.isEmpty()) {
      throw new ConfigException("environment variable " + variable + " (" + purpose
          + ") is not set for the worker");
    }
    return v;
  }

  public String optional(String variable) {
    return variable == null ? null : env.get(variable);
  }
}
