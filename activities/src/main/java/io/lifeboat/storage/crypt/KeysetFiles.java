package io.lifeboat.storage.crypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;

/**
 * Replaces a key file so that every reader sees either the old keyset or the new one, never a
 * half-written file: the new content goes to a temporary file beside it (same directory, so the
 * rename stays on one file system) with the old file's mode and group (the postgres group must
 * keep reading the repository key for wal-push), the old file is kept as
 * {@code NAME.bak-TIMESTAMP}, then the temporary file is renamed over it.
 */
public final class KeysetFiles {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private KeysetFiles() {}

  /** What a replacement did: where the previous keyset was kept. */
  public record Replaced(Path file, Path backup) {}

  public static Replaced replace(Path link, String newJson, Instant now) throws IOException {
    // A key file reached through a symlink (e.g. /etc/lifeboat/repository.json -> a mounted
    // secret) is replaced where it really is: renaming over the link would cut it loose.
    Path file = link.toRealPath();
    Path dir = file.getParent();
    PosixFileAttributes before = posix(file);
    Path backup = dir.resolve(file.getFileName() + ".bak-" + STAMP.format(now));
    for (int n = 2; Files.exists(backup); n++) {
      backup = dir.resolve(file.getFileName() + ".bak-" + STAMP.format(now) + "-" + n);
    }
    // The copy keeps the old file's mode (COPY_ATTRIBUTES); its group is set below like the new
    // file's, so a backup of the repository key is exactly as readable as the key was.
    Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      // Created owner-only, so the new key is never readable by more than the old one.
      Set<PosixFilePermission> ownerOnly =
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      Files.deleteIfExists(tmp);
      if (before != null) {
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            ownerOnly));
      }
      Files.writeString(tmp, newJson, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      if (before != null) {
        sameGroup(tmp, before.group());
        sameGroup(backup, before.group());
        Files.setPosixFilePermissions(tmp, before.permissions());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new Replaced(file, backup);
  }

  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static PosixFileAttributes posix(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    return view == null ? null : view.readAttributes();
  }

  private static void sameGroup(Path f, GroupPrincipal group) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class);
    if (view != null && !view.readAttributes().group().equals(group)) view.setGroup(group);
  }
}
