package io.lifeboat.backup.config;

import io.lifeboat.backup.artifact.ArtifactRepository;
import io.lifeboat.rollback.ReleaseDirs;
import io.lifeboat.archive.SafeExtractor;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.backup.artifact.FileDigest;
import io.lifeboat.repository.RepositoryLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The way back for a configuration backup: its archive restored into a directory of the
 * operator's choosing (never over /etc), every file checked against the SHA-256 in the
 * manifest. Needs only the repository and its key, not Temporal. The directory is created
 * here and removed again if anything fails, so what is left is either the whole checked
 * backup or nothing.
 */
public final class ConfigurationRestore {
  /** Thrown for an id that names no committed backup, or a directory that already exists. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /** What was restored: the backup, how many files (each matched), and where. */
  public record Restored(String backupId, int files, Path directory, List<String> missingOptional) {}

  private final ObjectStore store;
  private final RepositoryCipher cipher;
  private final String root;

  public ConfigurationRestore(ObjectStore store, RepositoryCipher cipher, String prefix) {
    this.store = store;
    this.cipher = cipher;
    this.root = RepositoryLayout.configBackupsRoot(prefix);
  }

  /**
   * @param id a backup id, or null for the newest
   * @param target a directory that does not exist yet
   */
  public Restored restore(String id, Path target) throws IOException {
    ArtifactRepository repo = new ArtifactRepository(store);
    if (id == null) {
      id = repo.committedIds(root).stream().findFirst().orElseThrow(() -> new Refused(
          "no configuration backup in the repository (lifeboat backup config makes one)"));
    }
    String backupId = id;
    ArtifactManifest m = repo.manifest(root, id).orElseThrow(() -> new Refused("no configuration"
        + " backup " + backupId + " (lifeboat backups list --configuration lists them)"));
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new Refused(target + " exists: restore config writes only into a new directory");
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path download = Files.createTempFile(parent, ".lifeboat-config-" + id + "-", ".tar.gz");
    try {
      String sha;
      try (OutputStream out = Files.newOutputStream(download)) {
        sha = repo.copyAndHash(m.objectKey(), out, () -> { });
      }
      if (!sha.equals(m.sha256())) {
        throw new IOException("configuration backup " + id + " does not match its manifest"
            + " (stored sha256 " + sha + ", manifest " + m.sha256() + "); nothing restored");
      }
      ArtifactRepository.decryptInPlace(cipher, download, m.objectKey(),
          "configuration backup " + id);
      try {
        SafeExtractor.extract(download, target, null, true, () -> { });
        for (FileDigest f : m.files()) check(target, f, id);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (!target.toString().equals(e.getFile())) ReleaseDirs.deleteTree(target);
        throw e; // the directory appeared meanwhile: someone else's, left alone
      } catch (IOException | RuntimeException e) {
        ReleaseDirs.deleteTree(target); // created by the extraction: this run's own
        throw e;
      }
      return new Restored(id, m.files().size(), target,
          m.missingOptional() == null ? List.of() : m.missingOptional());
    } finally {
      Files.deleteIfExists(download);
    }
  }

  private static void check(Path target, FileDigest f, String id) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Path p = root.resolve(f.name()).normalize();
    if (!p.startsWith(root)) {
      throw new IOException("manifest of " + id + " names " + f.name() + " outside the archive");
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(f.name() + " of configuration backup " + id
          + " is in the manifest but not in the archive; nothing restored");
    }
    MessageDigest sha = ArtifactRepository.sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    String got = HexFormat.of().formatHex(sha.digest());
    if (!got.equals(f.sha256()) || Files.size(p) != f.bytes()) {
      throw new IOException(f.name() + " of configuration backup " + id + " does not match its"
          + " manifest (sha256 " + got + ", manifest " + f.sha256() + "); nothing restored");
    }
  }
}
