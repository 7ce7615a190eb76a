package io.lifeboat.archive;

import java.io.IOException;

/** An archive entry that would land outside the target directory, or is not a plain file. */
public class UnsafeArchiveException extends IOException {
  public UnsafeArchiveException(String message) {
    super(message);
  }
}
