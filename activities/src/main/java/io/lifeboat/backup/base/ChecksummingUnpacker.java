package io.lifeboat.backup.base;

import io.lifeboat.failure.FailureKind;
import java.io.IOException;
import io.lifeboat.storage.CountingInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a base backup's tar stream into the scratch directory and, on the same pass, takes
 * the CRC32C and size of every regular file, the two facts backup_manifest records for it.
 * The checksums are then compared with the manifest ({@link ManifestChecksums}) once it has
 * arrived, so pg_verifybackup need not read the 2 GB a second time after the stream
 * ({@code --skip-checksums}); it still checks the manifest's own checksum, the file set, every
 * size and the WAL. The bytes checked are the bytes the stored object decompresses to.
 *
 * <p>The stream comes from our own cluster, but the scratch directory is still guarded like any
 * archive: no entry may resolve outside it, none is written through a link, none twice.
 */
final class ChecksummingUnpacker {
  private static final int CHUNK = 1 << 20;

  /** What backup_manifest says of a file, as this pass saw it. */
  record FileSum(long size, String crc32cHex) {}

  private ChecksummingUnpacker() {}

  /**
   * Reads the tar to its end (and the stream past it, so a compressed frame's own checksum is
   * read too); {@code progress} gets the count of tar bytes read so far, once per chunk.
   */
  static Map<String, FileSum> unpack(InputStream tarStream, Path into, LongConsumer progress)
      throws IOException {
    Path root = Files.createDirectories(into.toAbsolutePath().normalize());
    Map<String, FileSum> sums = new HashMap<>();
    byte[] buf = new byte[CHUNK];
    // The tar's bytes read so far: the backup's raw size, and its progress.
    CountingInputStream counted = new CountingInputStream(tarStream);
    TarArchiveInputStream tar = new TarArchiveInputStream(counted);
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      String rel = relative(e.getName());
      if (rel.isEmpty()) continue;
      Path dest = root.resolve(rel).normalize();
      if (!dest.startsWith(root) || dest.equals(root)) {
        throw FailureKind.BASE_VERIFY_FAILED.failure("the base backup stream holds '"
            + e.getName() + "', which resolves outside its directory");
      }
      createParents(root, dest);
      if (e.isDirectory()) {
        if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(dest);
      } else if (e.isSymbolicLink()) {
        // Tablespace links (pg_tblspc/OID) are links in the tar, as tar -x would make them.
        Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
      } else if (e.isFile()) {
        CRC32C crc = new CRC32C();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          int n;
          while ((n = tar.read(buf)) > 0) {
            crc.update(buf, 0, n);
            out.write(buf, 0, n);
            size += n;
            progress.accept(counted.count());
          }
        }
        if (sums.put(rel, new FileSum(size, hex(crc.getValue()))) != null) {
          throw FailureKind.BASE_VERIFY_FAILED.failure("the base backup stream holds '"
              + rel + "' twice");
        }
      }
      progress.accept(counted.count());
    }
    // The tar's end blocks and, below them, the end of the compressed frame.
    while (counted.read(buf) > 0) progress.accept(counted.count());
    progress.accept(counted.count());
    return sums;
  }

  /**
   * backup_manifest writes a CRC32C as the hex of its four bytes in memory order, which on
   * the little-endian machines PostgreSQL runs on is least significant byte first.
   */
  static String hex(long crc) {
    return String.format("%02x%02x%02x%02x", crc & 0xff, (crc >>> 8) & 0xff,
        (crc >>> 16) & 0xff, (crc >>> 24) & 0xff);
  }

  private static String relative(String name) {
    String n = name;
    while (n.startsWith("./")) n = n.substring(2);
    while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
    return n.equals(".") ? "" : n;
  }

  private static void createParents(Path root, Path dest) throws IOException {
    Path parent = dest.getParent();
    if (parent == null || parent.equals(root)) return;
    if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) return;
    if (Files.isSymbolicLink(parent)) {
      throw FailureKind.BASE_VERIFY_FAILED.failure("the base backup stream writes "
          + root.relativize(dest) + " below a link");
    }
    createParents(root, parent);
    Files.createDirectory(parent);
  }
}
