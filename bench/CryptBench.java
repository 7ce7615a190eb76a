import com.github.luben.zstd.ZstdOutputStream;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * What encryption at rest costs the backup stream: the same compressible bytes (hex text, like
 * pg_dump's md5 columns) through zstd alone and through zstd then RepositoryCipher, into a
 * counting sink. Run by bench/crypt.sh; prints MB/s of each and the ratio.
 */
public class CryptBench {
  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 512;
    Path dir = Files.createTempDirectory("lifeboat-cryptbench");
    Path key = dir.resolve("k.json");
    RepositoryCipher.generate(key);
    RepositoryCipher cipher = RepositoryCipher.fromJson(Files.readString(key), key.toString());
    // 32 different MiB of hex text (compresses about 2x, like md5 columns), cycled: the repeat
    // is far beyond zstd's window at level 3, so every MiB costs what new data costs.
    byte[][] blocks = new byte[32][1 << 20];
    Random r = new Random(1);
    String hex = "0123456789abcdef";
    for (byte[] block : blocks) {
      for (int i = 0; i < block.length; i++) block[i] = (byte) hex.charAt(r.nextInt(16));
    }
    for (int round = 0; round < 3; round++) { // the first round warms the JIT
      double plain = run(mb, blocks, null);
      double sealed = run(mb, blocks, cipher);
      if (round > 0) {
        System.out.printf("round %d: zstd only %.0f MB/s, zstd+encrypt %.0f MB/s, ratio %.2f%n",
            round, plain, sealed, sealed / plain);
      }
    }
    Files.delete(key);
    Files.delete(dir);
  }

  static double run(int mb, byte[][] blocks, RepositoryCipher cipher) throws Exception {
    long[] stored = {0};
    OutputStream sink = new OutputStream() {
      @Override public void write(int b) { stored[0]++; }
      @Override public void write(byte[] b, int off, int len) { stored[0] += len; }
    };
    long t0 = System.nanoTime();
    OutputStream target = cipher == null ? sink : cipher.seal(sink, "bench/object");
    try (ZstdOutputStream z = new ZstdOutputStream(target)) {
      z.setLevel(3);
      for (int i = 0; i < mb; i++) z.write(blocks[i % blocks.length]);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return mb / seconds;
  }
}
