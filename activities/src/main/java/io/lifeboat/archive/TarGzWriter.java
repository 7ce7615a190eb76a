package io.lifeboat.archive;

import io.lifeboat.backup.artifact.ArchiveSource;
import io.lifeboat.backup.artifact.FileDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Streams files into a tar.gz in constant memory. Directories are walked in name order (the
 * same tree gives the same entry order), links are stored as links and never followed, and any
 * path component named in the excludes is skipped with everything under it.
 */
public final class TarGzWriter {
  private static final int CHUNK = 1 << 16;

  public record Summary(int fileCount, long rawBytes, List<FileDigest> files) {}

  private final List<String> excludes;
  private final boolean digestEachFile;
  private final Runnable tick;
  private final List<FileDigest> digests = new ArrayList<>();
  private int files;
  private long raw;

  public TarGzWriter(List<String> excludes, boolean digestEachFile, Runnable tick) {
    this.excludes = excludes;
    this.digestEachFile = digestEachFile;
    this.tick = tick;
  }

  /** Writes every source that exists; the sink is finished (gzip trailer) but not closed. */
  public Summary write(List<ArchiveSource> sources, OutputStream sink) throws IOException {
    GzipCompressorOutputStream gz = new GzipCompressorOutputStream(sink);
    TarArchiveOutputStream tar = new TarArchiveOutputStream(gz);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (ArchiveSource s : sources) {
      Path p = Path.of(s.path());
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) add(tar, p, s.nameInArchive());
    }
    tar.finish();
    gz.finish();
    gz.flush();
    return new Summary(files, raw, List.copyOf(digests));
  }

  private void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
    PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    int mode = mode(attrs.permissions());
    if (attrs.isSymbolicLink()) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(path).toString());
      e.setModTime(attrs.lastModifiedTime());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    } else if (attrs.isDirectory()) {
      TarArchiveEntry e = new TarArchiveEntry(name + "/");
      e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
      e.setModTime(attrs.lastModifiedTime());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      List<Path> children;
      try (Stream<Path> list = Files.list(path)) {
        children = list.sorted().toList();
      }
      for (Path child : children) {
        String childName = child.getFileName().toString();
        if (excludes.contains(childName)) continue;
        add(tar, child, name + "/" + childName);
      }
    } else if (attrs.isRegularFile()) {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(attrs.size());
      e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
      e.setModTime(attrs.lastModifiedTime());
      tar.putArchiveEntry(e);
      MessageDigest sha = digestEachFile ? sha256() : null;
      long copied = 0;
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[CHUNK];
        int n;
        while (copied < attrs.size() && (n = in.read(buf, 0,
            (int) Math.min(buf.length, attrs.size() - copied))) > 0) {
          tar.write(buf, 0, n);
          if (sha != null) sha.update(buf, 0, n);
          copied += n;
          tick.run();
        }
      }
      if (copied != attrs.size()) {
        throw new IOException(path + " shrank while it was archived (" + copied + " of "
            + attrs.size() + " bytes); run the backup again");
      }
      tar.closeArchiveEntry();
      files++;
      raw += copied;
      if (sha != null) digests.add(new FileDigest(name, copied, HexFormat.of().formatHex(sha.digest())));
    }
    // sockets, devices and FIFOs are not configuration: skipped
  }

  private static int mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= switch (p) {
        case OWNER_READ -> 0400;
        case OWNER_WRITE -> 0200;
        case OWNER_EXECUTE -> 0100;
        case GROUP_READ -> 040;
        case GROUP_WRITE -> 020;
        case GROUP_EXECUTE -> 010;
        case OTHERS_READ -> 04;
        case OTHERS_WRITE -> 02;
        case OTHERS_EXECUTE -> 01;
      };
    }
    return m;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
