package io.lifeboat.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a tar.gz into a directory that does not exist yet. The whole archive is checked
 * first ({@link #check}), so a refused archive writes nothing at all; extraction then creates
 * files with CREATE_NEW and NOFOLLOW_LINKS, so even an archive that slipped past the check
 * could not write through a link or over an existing file.
 */
public final class SafeExtractor {
  private SafeExtractor() {}

  /** Reads every entry of the archive; returns the count or throws on the first unsafe one. */
  public static int check(Path archive, String stripPrefix, Runnable tick) throws IOException {
    return check(archive, stripPrefix, false, tick);
  }

  private static int check(Path archive, String stripPrefix, boolean linksMayPointAnywhere,
      Runnable tick) throws IOException {
    EntryGuard guard = new EntryGuard(stripPrefix, linksMayPointAnywhere);
    try (TarArchiveInputStream tar = open(archive)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        guard.check(e);
        tick.run();
      }
    }
    return guard.entries();
  }

  /**
   * Checks, then extracts into {@code target}, which must not exist (it is created). Returns
   * the number of regular files written.
   */
  public static int extract(Path archive, Path target, String stripPrefix, Runnable tick)
      throws IOException {
    return extract(archive, target, stripPrefix, false, tick);
  }

  /**
   * As {@link #extract(Path, Path, String, Runnable)}, and with {@code linksMayPointAnywhere}
   * symbolic links are recreated whatever they point to (a configuration backup holds /etc's
   * own absolute links, e.g. sites-enabled/default). Still nothing is written through a link:
   * entries below a link are refused, parents are never links, files are created with
   * CREATE_NEW and NOFOLLOW_LINKS into a directory that did not exist.
   */
  public static int extract(Path archive, Path target, String stripPrefix,
      boolean linksMayPointAnywhere, Runnable tick) throws IOException {
    check(archive, stripPrefix, linksMayPointAnywhere, tick);
    Files.createDirectory(target);
    Path root = target.toAbsolutePath().normalize();
    EntryGuard guard = new EntryGuard(stripPrefix, linksMayPointAnywhere);
    int files = 0;
    try (TarArchiveInputStream tar = open(archive)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String rel = guard.check(e);
        Path dest = rel.isEmpty() ? root : root.resolve(rel).normalize();
        if (!dest.startsWith(root)) {
          throw new UnsafeArchiveException("refused: '" + e.getName() + "' resolves outside the target");
        }
        if (e.isDirectory()) {
          if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            createParents(root, dest);
            Files.createDirectory(dest);
          }
          continue;
        }
        if (rel.isEmpty()) {
          throw new UnsafeArchiveException("refused: '" + e.getName() + "' would replace the target");
        }
        createParents(root, dest);
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          String linkRel = new EntryGuard(stripPrefix).check(asFile(e.getLinkName()));
          Path existing = root.resolve(linkRel).normalize();
          if (!existing.startsWith(root) || !Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeArchiveException("refused: hard link '" + e.getName() + "' to '"
                + e.getLinkName() + "', which is not a file extracted before it");
          }
          Files.createLink(dest, existing);
        } else {
          try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            tar.transferTo(out);
          } catch (FileAlreadyExistsException dup) {
            throw new UnsafeArchiveException("refused: '" + e.getName() + "' appears twice");
          }
          Files.setPosixFilePermissions(dest, permissions(e.getMode()));
          files++;
        }
        tick.run();
      }
    }
    return files;
  }

  private static TarArchiveEntry asFile(String name) {
    return new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
  }

  /** Parents come from directory entries or are made here, never through a link. */
  private static void createParents(Path root, Path dest) throws IOException {
    Path parent = dest.getParent();
    if (parent == null || parent.equals(root)) return;
    if (Files.isSymbolicLink(parent)) {
      throw new UnsafeArchiveException("refused: " + root.relativize(dest) + " lies below a link");
    }
    if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      createParents(root, parent);
      Files.createDirectory(parent);
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) p.add(order[i]);
    }
    p.add(PosixFilePermission.OWNER_READ); // never extract a file its owner cannot read
    p.add(PosixFilePermission.OWNER_WRITE);
    return p;
  }

  public static TarArchiveInputStream open(Path archive) throws IOException {
    return open(Files.newInputStream(archive));
  }

  public static TarArchiveInputStream open(InputStream in) throws IOException {
    return new TarArchiveInputStream(new GzipCompressorInputStream(
        new BufferedInputStream(in, 1 << 16), true));
  }
}
