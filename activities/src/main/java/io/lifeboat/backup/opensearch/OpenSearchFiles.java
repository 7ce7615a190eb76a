package io.lifeboat.backup.opensearch;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lifeboat.backup.redis.RedisBackupActivitiesImpl;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of an fs snapshot repository in Lifeboat's repository. Each file goes through the
 * same zstd, repository cipher and multipart upload as a dump stream
 * ({@link io.lifeboat.storage.SealedUpload}); it comes back through the same download and checks as a Redis
 * snapshot ({@link RedisBackupActivitiesImpl#download}).
 */
public final class OpenSearchFiles {
  private OpenSearchFiles() {}

  /**
   * One file of the fs repository as a backup needs it.
   *
   * @param path its path in the fs repository, with forward slashes
   * @param size plain bytes
   * @param sha256 of the plain bytes
   * @param key the stored object
   * @param storedBytes bytes of the stored object
   * @param storedSha256 SHA-256 of the stored object
   */
  public record Entry(String path, long size, String sha256, String key, long storedBytes,
      String storedSha256) {}

  /** Every regular file under dir, as relative paths with forward slashes, sorted. */
  public static List<String> walk(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()
          .replace('\\', '/')).sorted().toList();
    }
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest sha = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Every listed file back under dir, each checked: stored SHA-256 and size, decryption (a
   * tampered object fails the cipher's integrity check), zstd frames, plain SHA-256.
   */
  public static long fetch(ObjectStore store, RepositoryCipher cipher, List<Entry> files,
      Path dir, Runnable beat) throws IOException {
    long bytes = 0;
    for (Entry e : files) {
      Path to = dir.resolve(e.path()).normalize();
      if (!to.startsWith(dir) || e.path().startsWith("/")) {
        throw FailureKind.BACKUP_CORRUPT.failure("file list names " + e.path()
            + ", outside the repository directory");
      }
      Files.createDirectories(to.getParent());
      RedisBackupActivitiesImpl.Download d = RedisBackupActivitiesImpl.download(store, cipher,
          e.key(), to, beat);
      if (!d.sha256().equals(e.storedSha256()) || d.storedBytes() != e.storedBytes()) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored file " + e.key()
            + " does not match its file list: sha256 " + d.sha256() + ", expected "
            + e.storedSha256());
      }
      if (d.rawBytes() != e.size() || !sha256(to).equals(e.sha256())) {
        throw FailureKind.BACKUP_CORRUPT.failure("stored file " + e.key()
            + " decompresses to other bytes than the node wrote to " + e.path());
      }
      bytes += d.storedBytes();
      beat.run();
    }
    return bytes;
  }

  public static byte[] listBytes(RepositoryCipher cipher, String key, List<Entry> files)
      throws IOException {
    return cipher.seal(OpenSearchHttp.JSON.writeValueAsBytes(files), key);
  }

  public static List<Entry> readList(ObjectStore store, RepositoryCipher cipher, String key) {
    try (InputStream in = store.get(key)) {
      byte[] plain = cipher.open(in.readAllBytes(), key, "file list " + key);
      return OpenSearchHttp.JSON.readValue(plain, new TypeReference<List<Entry>>() {});
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("file list " + key + " cannot be read back: "
          + e.getMessage());
    }
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean vanished(IOException e) {
    return e instanceof NoSuchFileException;
  }

  static List<Entry> copy(List<Entry> l) {
    return new ArrayList<>(l);
  }

  /** Removes a directory tree, quietly. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort; the next run's scratch has another name
    }
  }
}
