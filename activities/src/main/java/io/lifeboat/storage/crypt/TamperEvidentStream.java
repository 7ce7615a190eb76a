package io.lifeboat.storage.crypt;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;

/**
 * Turns Tink's multi-line integrity failure into one line an operator can act on; an
 * ordinary read error of the underlying stream (a dropped connection) passes unchanged, so
 * it keeps its retry meaning.
 */
final class TamperEvidentStream extends java.io.FilterInputStream {
  private final String objectKey;

  TamperEvidentStream(InputStream in, String objectKey) {
    super(in);
    this.objectKey = objectKey;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw explain(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      throw explain(e);
    }
  }

  private IOException explain(IOException e) {
    String m = String.valueOf(e.getMessage());
    boolean integrity = e.getCause() instanceof GeneralSecurityException
        || m.contains("StreamingAeadDecryptingStream") || m.startsWith("Tag mismatch");
    if (!integrity) return e;
    return new RepositoryCipher.CorruptObjectException(objectKey, e);
  }
}
