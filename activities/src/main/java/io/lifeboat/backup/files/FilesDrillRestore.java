package io.lifeboat.backup.files;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files drill scenario's activities (issue 20): the newest committed manifest, and one
 * generation restored into a scratch directory on the source's host, compared by
 * {@link FilesRestore} (the code of {@code restore files}) and removed again.
 */
final class FilesDrillRestore {
  private FilesDrillRestore() {}

  /** {@link FilesActivities#filesNewestManifest}. */
  static FilesManifest newestManifest(ObjectStore store,
      io.lifeboat.config.RepositoryConfig repository, String name) {
    String key = ResticTarget.manifestKey(repository, name, "ID");
    String root = key.substring(0, key.length() - "ID/manifest.json".length());
    List<FilesManifest> all = new ArrayList<>();
    for (String k : store.list(root)) {
      if (k.endsWith("/manifest.json")) {
        all.add(io.lifeboat.backup.dump.Manifests.read(store, k, FilesManifest.class));
      }
    }
    // Backup ids sort by time; a generation whose check failed is no recovery point (the rule
    // lifeboat check counts files backups by).
    all.sort(java.util.Comparator.comparing(FilesManifest::backupId));
    for (int i = all.size() - 1; i >= 0; i--) {
      FilesManifest m = all.get(i);
      if (m.verification() != null && m.verification().startsWith("ok")) return m;
    }
    throw FailureKind.BACKUP_NOT_FOUND.failure("no committed backup of files source " + name
        + " whose check passed under " + root + (all.isEmpty() ? ""
            : " (" + all.size() + " committed, the newest " + all.get(all.size() - 1).backupId()
                + ": " + all.get(all.size() - 1).verification() + ")"));
  }

  /**
   * The scratch directory of a drill's restore: under restoreRoot, else this host's temp
   * directory; refused when it would lie in the source's paths or its repository, or hold them.
   */
  static Path scratchDirectory(FilesScratchRestore r) {
    FilesConfig f = r.files();
    Path base = Path.of(f.restoreRoot() != null ? f.restoreRoot()
        : System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    Path dir = base.resolve(r.directoryName());
    List<String> guarded = new ArrayList<>(f.paths());
    if (f.repositoryPath() != null) guarded.add(f.repositoryPath());
    for (String g : guarded) {
      Path p = Path.of(g).toAbsolutePath().normalize();
      if (dir.startsWith(p) || p.startsWith(dir)) {
        throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": the drill's"
            + " scratch directory " + dir + " overlaps " + p + " (set files[].restoreRoot to a"
            + " directory outside the source's paths and repository)");
      }
    }
    return dir;
  }

  /** {@link FilesActivities#filesRestoreCompare}. */
  static FilesRestoreCheck restoreCompare(FilesScratchRestore r, Secrets secrets) {
    Path dir = scratchDirectory(r);
    return io.lifeboat.run.Keepalive.during(() -> {
      FilesRestore restore = new FilesRestore(r.files(), r.repository(), secrets);
      FilesRestore.Restored done = null;
      String failure = null;
      try {
        // A killed attempt's leftover: this run's own directory (named by its key).
        removeTree(dir);
        Files.createDirectories(dir);
        done = restore.restore(r.snapshotId(), dir, false);
      } catch (FilesRestore.NoSuchSnapshot | FilesRestore.Failed e) {
        // The generation its manifest names is gone or the engine could not read it back
        // (a damaged pack or segment): the drill's finding, not a step to retry.
        failure = e.getMessage();
      } catch (FilesRestore.Refused e) {
        throw FailureKind.CONFIG_INVALID.failure(e.getMessage());
      } catch (IOException | UncheckedIOException e) {
        throw (r.files().restic() ? FailureKind.RESTIC_FAILED : FailureKind.FILES_ENGINE_FAILED)
            .failure("restore of files source " + r.files().name() + " into " + dir + ": "
                + e.getMessage(), e);
      } finally {
        try {
          removeTree(dir);
        } catch (io.temporal.failure.ApplicationFailure e) {
          // Reported as not removed; the drill's clean-up step tries again and records it.
        }
      }
      boolean removed = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
      if (done == null) {
        return new FilesRestoreCheck(r.snapshotId(), null, dir.toString(), 0, 0, 0, List.of(),
            0, List.of(), failure, removed);
      }
      List<String> diffs = done.differences();
      return new FilesRestoreCheck(done.snapshotId(), done.snapshotTime(), dir.toString(),
          done.files(), done.directories(), done.links(), done.paths(), diffs.size(),
          diffs.subList(0, Math.min(diffs.size(), FilesRestoreCheck.MAX_LISTED)), null, removed);
    });
  }

  /** {@link FilesActivities#filesRemoveScratch}; a directory the restore refused is left. */
  static String removeScratch(FilesScratchRestore r) {
    Path dir;
    try {
      dir = scratchDirectory(r);
    } catch (io.temporal.failure.ApplicationFailure refused) {
      // The restore refused the same directory before creating it: nothing of ours is there,
      // and nothing inside the source or its repository is ever removed.
      return "nothing removed: " + refused.getOriginalMessage();
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return dir + " already removed by the restore step";
    }
    removeTree(dir);
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw FailureKind.LOCAL_IO.failure("could not remove the drill's scratch directory " + dir);
    }
    return "removed " + dir + " (left by an interrupted restore)";
  }

  /**
   * Removes a tree without following links; directories restored without the owner's write
   * bit (a snapshot of a read-only tree) are opened first so their entries can go.
   */
  static void removeTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try {
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path d,
            java.nio.file.attribute.BasicFileAttributes a) throws IOException {
          var perms = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
          if (perms.addAll(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
              java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE))) {
            Files.setPosixFilePermissions(d, perms);
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path file,
            java.nio.file.attribute.BasicFileAttributes a) throws IOException {
          Files.delete(file);
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e)
            throws IOException {
          if (e != null) throw e;
          Files.delete(d);
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("could not remove the drill's scratch directory " + dir
          + ": " + e, e);
    }
  }
}
