package io.lifeboat.archive;

import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Decides, entry by entry, whether a tar archive can be extracted without writing outside its
 * target directory. Refuses: absolute names, any ".." component, symbolic links whose target
 * is absolute or leaves the root, hard links to names that are not safe, entries below a
 * symbolic link of the same archive (writing there would follow the link), and anything that is
 * not a directory, a regular file or a link (devices, FIFOs).
 *
 * <p>Checks are lexical, on names inside the archive, so an archive can be checked while it
 * streams, before a single byte is written.
 */
public final class EntryGuard {
  private final String stripPrefix;
  private final boolean linksMayPointAnywhere;
  private final Set<String> symlinks = new HashSet<>();
  private int entries;

  /** @param stripPrefix a top directory every entry must be under (e.g. "current"), or null */
  public EntryGuard(String stripPrefix) {
    this(stripPrefix, false);
  }

  /**
   * @param linksMayPointAnywhere accept any symbolic link target (configuration archives hold
   *     /etc's absolute links); names and entries below links are still checked. Extracted
   *     only by the configuration restore, into a new directory, never writing through a link.
   */
  public EntryGuard(String stripPrefix, boolean linksMayPointAnywhere) {
    this.stripPrefix = stripPrefix;
    this.linksMayPointAnywhere = linksMayPointAnywhere;
  }

  /**
   * Returns the entry's path relative to the target ("" for the target itself); throws when the
   * entry is unsafe.
   */
  public String check(TarArchiveEntry e) throws UnsafeArchiveException {
    entries++;
    String raw = e.getName();
    String rel = relative(raw);
    if (e.isSymbolicLink()) {
      String link = e.getLinkName();
      if (linksMayPointAnywhere) {
        symlinks.add(rel);
        return rel;
      }
      if (link == null || link.isEmpty() || link.startsWith("/") || link.contains("\\")
          || link.indexOf('\0') >= 0) {
        throw new UnsafeArchiveException("refused: symbolic link '" + raw + "' points to '"
            + link + "', an absolute path outside the target directory");
      }
      String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
      if (!staysInside(parent.isEmpty() ? link : parent + "/" + link)) {
        throw new UnsafeArchiveException("refused: symbolic link '" + raw + "' points to '"
            + link + "', outside the target directory");
      }
      symlinks.add(rel);
    } else if (e.isLink()) {
      relative(e.getLinkName()); // a hard link's target is an archive name: same rules
    } else if (!e.isDirectory() && !isRegular(e)) {
      throw new UnsafeArchiveException("refused: '" + raw + "' is not a file, directory or link"
          + " (device or FIFO)");
    }
    return rel;
  }

  /**
   * An allow-list: commons-compress calls any entry not ending in a slash a "file", devices
   * included, so the type flag itself is checked.
   */
  static boolean isRegular(TarArchiveEntry e) {
    byte f = e.getLinkFlag();
    return !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()
        && (f == TarArchiveEntry.LF_NORMAL || f == TarArchiveEntry.LF_OLDNORM || f == '7');
  }

  public int entries() {
    return entries;
  }

  /** The name with the prefix removed; refuses absolute names, "..", and names under a link. */
  private String relative(String raw) throws UnsafeArchiveException {
    if (raw == null || raw.isEmpty() || raw.indexOf('\0') >= 0 || raw.contains("\\")) {
      throw new UnsafeArchiveException("refused: entry with an empty or malformed name '" + raw + "'");
    }
    if (raw.startsWith("/")) {
      throw new UnsafeArchiveException("refused: entry '" + raw + "' has an absolute path");
    }
    String[] parts = raw.split("/+");
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      if (p.equals("..")) {
        throw new UnsafeArchiveException("refused: entry '" + raw + "' contains '..' and would"
            + " land outside the target directory");
      }
      if (p.isEmpty() || p.equals(".")) continue;
      if (sb.length() > 0) sb.append('/');
      sb.append(p);
    }
    String name = sb.toString();
    if (stripPrefix != null) {
      if (name.equals(stripPrefix)) {
        name = "";
      } else if (name.startsWith(stripPrefix + "/")) {
        name = name.substring(stripPrefix.length() + 1);
      } else {
        throw new UnsafeArchiveException("refused: entry '" + raw + "' is not under " + stripPrefix
            + "/ as every entry of this kind of archive must be");
      }
    }
    for (String link : symlinks) {
      if (name.startsWith(link + "/")) {
        throw new UnsafeArchiveException("refused: entry '" + raw + "' lies below the symbolic"
            + " link '" + link + "'; writing it would follow the link");
      }
    }
    return name;
  }

  /** Does a relative path, resolved lexically from the root, stay at or below the root? */
  static boolean staysInside(String path) {
    int depth = 0;
    for (String p : path.split("/+")) {
      if (p.isEmpty() || p.equals(".")) continue;
      if (p.equals("..")) {
        if (--depth < 0) return false;
      } else {
        depth++;
      }
    }
    return true;
  }
}
