package io.lifeboat.cli;

/** The operation ran and failed (a backup that did not complete): one line, exit code 1. */
public class OperationFailed extends RuntimeException {
  public OperationFailed(String message) {
    super(message);
  }
}
