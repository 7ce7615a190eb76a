package io.lifeboat.backup.bacula;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Two trees compared entry by entry: type, permissions, content (SHA-256) and link targets. */
final class TreeCompare {
  private TreeCompare() {}

  /** What differs, one short phrase per path; empty when the trees are the same. */
  static List<String> differences(Path source, Path copy) {
    if (!Files.isDirectory(copy, LinkOption.NOFOLLOW_LINKS)) {
      return List.of(copy + " was not restored");
    }
    Map<String, String> a = describe(source);
    Map<String, String> b = describe(copy);
    List<String> diffs = new ArrayList<>();
    for (String rel : new TreeSet<>(union(a, b))) {
      String x = a.get(rel);
      String y = b.get(rel);
      if (y == null) diffs.add(rel + " missing from the restore");
      else if (x == null) diffs.add(rel + " only in the restore");
      else if (!x.equals(y)) diffs.add(rel + " differs (" + x + " / " + y + ")");
    }
    return diffs;
  }

  private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
    TreeSet<String> all = new TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    return all;
  }

  private static Map<String, String> describe(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String rel = root.relativize(p).toString();
        if (rel.isEmpty()) rel = ".";
        out.put(rel, entry(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root, e);
    }
    return out;
  }

  private static String entry(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) return "link->" + Files.readSymbolicLink(p);
    String mode = PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "dir " + mode;
    return "file " + mode + " " + sha256(p);
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
