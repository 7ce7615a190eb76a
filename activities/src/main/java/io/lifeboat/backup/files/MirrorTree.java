package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory tree as the rsync mirror's manifests record it (every entry's type, permission
 * bits, size, link target and a file's SHA-256), read from the disk of the host it is on; also
 * what duplicity's records and the restore comparison use.
 */
final class MirrorTree {
  private MirrorTree() {}

  /** Every entry below {@code root}, as the manifest records it ("/" + the relative path). */
  static List<JsonNode> walk(Path root, Runnable tick) throws IOException {
    return walk(root, null, Map.of(), tick);
  }

  /**
   * @param prev the previous generation; a file that is the same inode as its namesake there
   *     takes the digest {@code inherited} has for its path instead of being read
   */
  static List<JsonNode> walk(Path root, Path prev, Map<String, String> inherited, Runnable tick)
      throws IOException {
    List<JsonNode> out = new ArrayList<>();
    Map<Object, String> digests = new HashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        if (p.equals(root)) continue;
        ObjectNode n = FilesActivitiesImpl.JSON.createObjectNode();
        n.put("struct_type", "node");
        n.put("path", "/" + root.relativize(p));
        if (Files.isSymbolicLink(p)) {
          n.put("type", "symlink");
          n.put("linktarget", Files.readSymbolicLink(p).toString());
        } else {
          Map<String, Object> a = Files.readAttributes(p, "unix:mode,nlink,size,ino,dev",
              LinkOption.NOFOLLOW_LINKS);
          n.put("mode", ((Integer) a.get("mode")) & 07777);
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            n.put("type", "dir");
          } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            n.put("type", "file");
            n.put("size", (Long) a.get("size"));
            n.put("links", (Integer) a.get("nlink"));
            Object key = a.get("dev") + ":" + a.get("ino");
            String d = digests.get(key);
            String rel = "/" + root.relativize(p);
            if (d == null && prev != null && inherited.containsKey(rel)) {
              Path there = prev.resolve(root.relativize(p));
              if (Files.exists(there, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(p, there)) {
                d = inherited.get(rel);
                digests.put(key, d);
              }
            }
            if (d == null) {
              d = sha256(p);
              digests.put(key, d);
              if (tick != null && digests.size() % 500 == 0) tick.run();
            }
            n.put("sha256", d);
          } else {
            n.put("type", "other");
          }
        }
        out.add(n);
      }
    }
    return out;
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        if (!Files.isSymbolicLink(q) && Files.isDirectory(q)) {
          q.toFile().setWritable(true);
        }
        Files.delete(q);
      }
    }
  }
}
