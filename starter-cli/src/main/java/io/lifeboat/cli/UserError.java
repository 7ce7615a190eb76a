package io.lifeboat.cli;

/** Bad input from the operator: printed as one line, exit code 2, nothing changed. */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }
}
