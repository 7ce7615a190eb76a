package io.lifeboat.config;

/** A config file that cannot be used; the message is the one line an operator sees. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
