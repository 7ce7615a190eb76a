package io.lifeboat.storage.crypt;

import java.nio.ByteBuffer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JIT compile the JDK's AES-GCM with its intrinsics before the first backup needs
 * them (issue 21). Measured on this 2-core machine (JDK 17, no AVX-512): a fresh JVM seals and
 * opens Tink's 1 MiB segments at 15-30 MB/s for the first few hundred MiB, because each
 * segment is one call of Cipher.doFinal that loops over 65,536 blocks, and the methods that
 * use the AES and GHASH intrinsics are only compiled by C2 after thousands of calls; a 500 MB
 * dump on a just-started worker spent over 10 s in that. After 20,000 small calls (about half
 * a second of one core, on a daemon thread here), the first 128 MiB sealed at 150-750 MB/s and
 * opened at 200-500 MB/s under the same load. The calls go through the same API Tink uses
 * (doFinal on ByteBuffers, both directions).
 */
public final class CryptoWarmup {
  private static final Logger log = LoggerFactory.getLogger(CryptoWarmup.class);
  static final int CALLS = 20_000;
  private static final int SIZE = 512;

  private CryptoWarmup() {}

  /** Starts the warm-up on a daemon thread of low priority; returns at once. */
  public static Thread inBackground() {
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      try {
        run(CALLS);
        log.debug("AES-GCM warmed up in {} ms", (System.nanoTime() - t0) / 1_000_000);
      } catch (Exception | LinkageError e) {
        log.warn("AES-GCM warm-up failed (backups work, the first ones slower): {}", e.toString());
      }
    }, "lifeboat-crypto-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }

  /** Seals and opens {@code calls} small buffers with a throwaway key; checks they round-trip. */
  static void run(int calls) throws Exception {
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    ByteBuffer plain = ByteBuffer.allocate(SIZE);
    ByteBuffer sealed = ByteBuffer.allocate(SIZE + 16);
    ByteBuffer opened = ByteBuffer.allocate(SIZE);
    byte[] iv = new byte[12];
    for (int i = 0; i < calls; i++) {
      // A new nonce per call: GCM refuses to reuse one with the same key for encryption.
      iv[0] = (byte) i;
      iv[1] = (byte) (i >>> 8);
      iv[2] = (byte) (i >>> 16);
      plain.clear();
      plain.put(0, (byte) i);
      sealed.clear();
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      gcm.doFinal(plain, sealed);
      sealed.flip();
      opened.clear();
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
      gcm.doFinal(sealed, opened);
      if (opened.get(0) != (byte) i) throw new IllegalStateException("AES-GCM round trip differs");
    }
  }
}
