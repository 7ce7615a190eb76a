package io.lifeboat.storage;

import io.lifeboat.failure.FailureKind;

/** A storage failure with its place in the failure registry (and so its retry meaning). */
public class StorageException extends RuntimeException {
  private final FailureKind kind;

  public StorageException(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
