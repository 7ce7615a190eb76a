package io.lifeboat.repository;

import io.lifeboat.config.RepositoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a deletion from the repository does to the local copy of it (repository.localCopyDir:
 * the same keys as files under one directory). Each kind keeps its own habit: dumps remove the
 * file of each deleted object (and, when discarding, the directory after), application and
 * configuration backups remove the backup's directory once its objects are gone, base backups
 * have no local copy.
 */
public final class LocalCopy {
  private static final Logger log = LoggerFactory.getLogger(LocalCopy.class);

  /** No local copy (base backups), or a repository without one. */
  public static final LocalCopy NONE = new LocalCopy(null, false, false);

  private final Path root;
  private final boolean eachFile;
  private final boolean wholeDir;

  private LocalCopy(Path root, boolean eachFile, boolean wholeDir) {
    this.root = root;
    this.eachFile = eachFile;
    this.wholeDir = wholeDir;
  }

  private static Path root(RepositoryConfig repo) {
    return repo.localCopyDir() == null ? null : Path.of(repo.localCopyDir());
  }

  /** The file of each deleted object, the directory stays (dump retention). */
  public static LocalCopy eachFile(RepositoryConfig repo) {
    return new LocalCopy(root(repo), true, false);
  }

  /** The file of each deleted object, then the directory (dump discard). */
  public static LocalCopy eachFileThenDir(RepositoryConfig repo) {
    return new LocalCopy(root(repo), true, true);
  }

  /** The directory, once its objects are gone (application and configuration backups). */
  public static LocalCopy wholeDir(RepositoryConfig repo) {
    return new LocalCopy(root(repo), false, true);
  }

  /** After one object was deleted from the repository. */
  void deleted(String key) {
    if (root == null || !eachFile) return;
    Path p = root.resolve(key);
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("could not delete local copy {}: {}", p, e.getMessage());
    }
  }

  /** After every object of one backup directory was deleted (a flat directory of files). */
  void emptied(String dir) {
    if (root == null || !wholeDir) return;
    Path local = root.resolve(dir);
    if (!Files.isDirectory(local)) return;
    try (var files = Files.list(local)) {
      for (Path p : files.toList()) Files.deleteIfExists(p);
      Files.deleteIfExists(local);
    } catch (IOException e) {
      log.warn("could not clean local copy {}: {}", local, e.getMessage());
    }
  }
}
