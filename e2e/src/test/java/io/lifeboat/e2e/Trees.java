package io.lifeboat.e2e;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A file tree as the files tests compare it: what a restore must give back exactly. */
final class Trees {
  private Trees() {}

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
