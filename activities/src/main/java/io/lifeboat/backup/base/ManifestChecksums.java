package io.lifeboat.backup.base;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the CRC32C and size of every file backup_manifest lists with what
 * {@link ChecksummingUnpacker} saw in the stream: the checksum half of pg_verifybackup, done
 * while the bytes arrived instead of by reading them again afterwards.
 */
final class ManifestChecksums {
  private ManifestChecksums() {}

  /**
   * Whether every entry can be checked here: a plain UTF-8 path and a CRC32C. Anything else
   * (an Encoded-Path, another algorithm) is left to a full pg_verifybackup.
   */
  static boolean checkable(JsonNode manifest) {
    JsonNode files = manifest.path("Files");
    if (!files.isArray()) return false;
    for (JsonNode f : files) {
      if (!f.hasNonNull("Path") || !"CRC32C".equals(f.path("Checksum-Algorithm").asText())
          || !f.hasNonNull("Checksum") || !f.hasNonNull("Size")) {
        return false;
      }
    }
    return true;
  }

  /** The first file whose bytes differ from the manifest, in one line; empty when none. */
  static Optional<String> firstMismatch(JsonNode manifest,
      Map<String, ChecksummingUnpacker.FileSum> seen) {
    for (JsonNode f : manifest.path("Files")) {
      String path = f.get("Path").asText();
      ChecksummingUnpacker.FileSum s = seen.get(path);
      if (s == null) {
        return Optional.of("\"" + path + "\" is in backup_manifest but not in the stream");
      }
      long size = f.get("Size").asLong();
      if (s.size() != size) {
        return Optional.of("\"" + path + "\" has size " + s.size() + " in the stream but "
            + size + " in backup_manifest");
      }
      String expected = f.get("Checksum").asText();
      if (!expected.equalsIgnoreCase(s.crc32cHex())) {
        return Optional.of("\"" + path + "\" has CRC32C " + s.crc32cHex() + " in the stream"
            + " but " + expected + " in backup_manifest");
      }
    }
    return Optional.empty();
  }
}
