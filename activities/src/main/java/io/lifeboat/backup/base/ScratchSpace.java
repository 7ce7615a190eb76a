package io.lifeboat.backup.base;

import io.lifeboat.config.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scratch directory a base backup is unpacked into for pg_verifybackup: where it goes
 * (LIFEBOAT_SCRATCH_DIR, tmpfs when the cluster fits, else the temporary directory), the
 * leftovers of killed attempts, and its removal whatever happens.
 */
final class ScratchSpace {
  private static final Logger log = LoggerFactory.getLogger(ScratchSpace.class);
  private static final Path SHM = Path.of("/dev/shm");
  /** Memory left to everything else after an unpacked backup sits in tmpfs. */
  private static final long SHM_HEADROOM = 2L << 30;

  private final Path scratchRoot;
  private final boolean scratchChosen;

  ScratchSpace(Secrets secrets) {
    String dir = secrets.optional("LIFEBOAT_SCRATCH_DIR");
    this.scratchChosen = dir != null && !dir.isBlank();
    this.scratchRoot = Path.of(scratchChosen ? dir : System.getProperty("java.io.tmpdir"));
  }

  /**
   * A new scratch directory for this backup, under {@link #scratchRoot(long)}, after removing
   * what earlier attempts left there. The caller removes it with {@link #deleteTree(Path)}.
   */
  Path create(long clusterBytes, String backupId) throws IOException {
    Path root = scratchRoot(clusterBytes);
    Files.createDirectories(root);
    removeLeftovers(root, backupId);
    return Files.createTempDirectory(root, "lifeboat-base-" + backupId + "-");
  }

  /**
   * Where the unpacked copy for pg_verifybackup goes: LIFEBOAT_SCRATCH_DIR when set; otherwise
   * tmpfs (/dev/shm) when the cluster fits there with {@link #SHM_HEADROOM} of memory to spare,
   * because the copy lives for seconds and is deleted unread by anyone else: on a disk it costs
   * 2 GB of writes (and their write-back) per 2 GB cluster, in memory only the copy. Bigger
   * clusters, or an unknown size, use the temporary directory.
   */
  Path scratchRoot(long clusterBytes) {
    if (scratchChosen || clusterBytes <= 0) return scratchRoot;
    try {
      if (!Files.isDirectory(SHM) || !Files.isWritable(SHM)) return scratchRoot;
      // The unpacked copy, plus (format 2) the server-compressed file it is unpacked from,
      // which is rarely more than 40 % of it.
      long needed = clusterBytes + clusterBytes / 2;
      long shmFree = Files.getFileStore(SHM).getUsableSpace();
      long memAvailable = memAvailableBytes();
      if (shmFree > needed && memAvailable > needed + SHM_HEADROOM) return SHM;
    } catch (IOException | RuntimeException e) {
      log.debug("tmpfs not usable for the scratch copy: {}", e.getMessage());
    }
    return scratchRoot;
  }

  /**
   * Scratch copies a killed worker left behind (in tmpfs they hold memory until a reboot): the
   * earlier attempts of this backup, and any copy older than the stream's 12-hour limit.
   */
  static void removeLeftovers(Path root, String backupId) {
    Instant stale = Instant.now().minus(Duration.ofHours(12));
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("lifeboat-base-"))
          .filter(d -> {
            try {
              return d.getFileName().toString().startsWith("lifeboat-base-" + backupId + "-")
                  || Files.getLastModifiedTime(d).toInstant().isBefore(stale);
            } catch (IOException gone) {
              return false;
            }
          })
          .forEach(d -> {
            log.info("removing the scratch copy {} left by an earlier attempt", d);
            deleteTree(d);
          });
    } catch (IOException e) {
      log.warn("could not look for old scratch copies in {}: {}", root, e.getMessage());
    }
  }

  private static long memAvailableBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
      }
    }
    return 0;
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove scratch directory {}: {}", dir, e.getMessage());
    }
  }
}
