package io.lifeboat.backup.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Committed application and configuration backups, read from their manifests. */
public final class ArtifactRepository {
  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ObjectStore store;

  public ArtifactRepository(ObjectStore store) {
    this.store = store;
  }

  /** Ids of committed backups under a root, newest first (ids sort by time). */
  public List<String> committedIds(String root) {
    List<String> ids = new ArrayList<>();
    for (String key : store.list(root)) {
      String rest = key.substring(root.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && rest.substring(slash + 1).equals(RepositoryLayout.MANIFEST)) {
        ids.add(rest.substring(0, slash));
      }
    }
    ids.sort(Comparator.reverseOrder());
    return ids;
  }

  public Optional<ArtifactManifest> manifest(String root, String id) {
    String key = root + id + "/" + RepositoryLayout.MANIFEST;
    if (!store.exists(key)) return Optional.empty();
    try (InputStream in = store.get(key)) {
      return Optional.of(JSON.readValue(in, ArtifactManifest.class));
    } catch (IOException e) {
      throw FailureKind.ARCHIVE_CORRUPT.failure("manifest " + key + " cannot be read: "
          + e.getMessage());
    }
  }

  /**
   * Replaces a downloaded, checksum-checked object by its plaintext when it is encrypted (a
   * plaintext object is left as it is). Streams through a file beside it: constant memory.
   */
  public static void decryptInPlace(RepositoryCipher cipher, Path file, String objectKey, String what)
      throws IOException {
    Path plain = file.resolveSibling(file.getFileName() + ".plain");
    try (InputStream stored = Files.newInputStream(file);
         InputStream in = cipher.open(stored, objectKey, what);
         OutputStream out = Files.newOutputStream(plain)) {
      in.transferTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(plain);
      throw e;
    }
    Files.move(plain, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Streams the archive through SHA-256 into {@code sink} (may be a null stream). */
  public String copyAndHash(String objectKey, OutputStream sink, Runnable tick) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(store.get(objectKey), sha)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sink.write(buf, 0, n);
        tick.run();
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The newest backup older than {@code id} whose archive still matches its manifest, for the
   * error that refuses a tampered one. Looks at a few at most: each check reads an archive.
   */
  public Optional<ArtifactManifest> previousGood(String root, String id, Runnable tick) {
    int looked = 0;
    for (String other : committedIds(root)) {
      if (other.compareTo(id) >= 0) continue;
      if (++looked > 5) break;
      Optional<ArtifactManifest> m = manifest(root, other);
      if (m.isEmpty()) continue;
      try {
        if (copyAndHash(m.get().objectKey(), OutputStream.nullOutputStream(), tick)
            .equals(m.get().sha256())) {
          return m;
        }
      } catch (IOException | RuntimeException ignored) {
        // unreadable: not a good one, look further back
      }
    }
    return Optional.empty();
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
