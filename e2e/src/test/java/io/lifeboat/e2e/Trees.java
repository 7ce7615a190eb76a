package io.lifeboat.e2e;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A file tree as the files tests compare it: what a restore must give back exactly. */
final class Trees {
  private Trees() {}

  /**
   * The local files tests' source tree, written under root: an empty directory, modes, a
   * 300 kB file of seeded random bytes, a file with a unicode name (unicodeName, relative to
   * root), a link and a dangling link.
   */
  static void writeSample(Path root, long seed, String unicodeName) throws Exception {
    Files.createDirectories(root.resolve("photos/2026"));
    Files.createDirectories(root.resolve("empty"));
    Files.writeString(root.resolve("readme.txt"), "farm uploads\n");
    byte[] blob = new byte[300_000];
    new Random(seed).nextBytes(blob);
    Files.write(root.resolve("photos/2026/cow.jpg"), blob);
    Files.writeString(root.resolve(unicodeName), "unicode name\n");
    Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(root.resolve("run.sh"),
        PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(root.resolve("secret.key"), "k\n");
    Files.setPosixFilePermissions(root.resolve("secret.key"),
        PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(root.resolve("latest.jpg"), Path.of("photos/2026/cow.jpg"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent/target"));
  }

  /** Every entry below root: type, permission bits, and content digest or link target. */
  static Map<String, String> describe(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir " + PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        } else {
          out.put(rel, "file " + PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) + " "
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                  .digest(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }
}
