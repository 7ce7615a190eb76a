package io.lifeboat.backup.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksummingUnpackerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Two checksums that do not come from this code: the CRC-32C check value of "123456789"
  // (0xE3069283, RFC 3720), and what PostgreSQL 15's pg_basebackup wrote into a real
  // backup_manifest for a PG_VERSION file holding "15\n".
  private static final String CHECK_VALUE_HEX = "839206e3";
  private static final String PG_VERSION_15_HEX = "8a744722";

  @TempDir Path dir;

  @Test
  void checksumsAreWrittenAsBackupManifestWritesThem() {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(CHECK_VALUE_HEX, ChecksummingUnpacker.hex(c.getValue()));
  }

  @Test
  void unpacksEveryFileAndTakesItsSizeAndChecksum() throws IOException {
    byte[] tar = tar(Map.of("PG_VERSION", "15\n", "base/1/1259", "x".repeat(70_000)));
    AtomicLong progress = new AtomicLong();
    Map<String, ChecksummingUnpacker.FileSum> sums =
        ChecksummingUnpacker.unpack(new ByteArrayInputStream(tar), dir, progress::set);
    assertEquals(new ChecksummingUnpacker.FileSum(3, PG_VERSION_15_HEX), sums.get("PG_VERSION"));
    assertEquals(70_000, sums.get("base/1/1259").size());
    assertEquals("15\n", Files.readString(dir.resolve("PG_VERSION")));
    assertArrayEquals("x".repeat(70_000).getBytes(StandardCharsets.US_ASCII),
        Files.readAllBytes(dir.resolve("base/1/1259")));
    assertEquals(tar.length, progress.get(), "every byte of the tar, end blocks included");
    JsonNode manifest = manifest(Map.of("PG_VERSION", new long[] {3}, "base/1/1259",
        new long[] {70_000}), Map.of("PG_VERSION", PG_VERSION_15_HEX, "base/1/1259",
        sums.get("base/1/1259").crc32cHex()));
    assertTrue(ManifestChecksums.checkable(manifest));
    assertTrue(ManifestChecksums.firstMismatch(manifest, sums).isEmpty());
  }

  @Test
  void aByteCorruptedInTheStreamIsCaught() throws IOException {
    String content = "the relation's bytes ".repeat(500);
    byte[] good = tar(Map.of("base/1/2619", content));
    Map<String, ChecksummingUnpacker.FileSum> goodSums =
        ChecksummingUnpacker.unpack(new ByteArrayInputStream(good), dir.resolve("a"), n -> {});
    JsonNode manifest = manifest(Map.of("base/1/2619", new long[] {content.length()}),
        Map.of("base/1/2619", goodSums.get("base/1/2619").crc32cHex()));

    byte[] bad = good.clone();
    int at = indexOf(bad, "bytes".getBytes(StandardCharsets.US_ASCII), 5000);
    bad[at] ^= 0x01;   // one bit, inside the file's data, past its tar header
    Map<String, ChecksummingUnpacker.FileSum> badSums =
        ChecksummingUnpacker.unpack(new ByteArrayInputStream(bad), dir.resolve("b"), n -> {});
    String why = ManifestChecksums.firstMismatch(manifest, badSums).orElseThrow();
    assertTrue(why.contains("base/1/2619") && why.contains("CRC32C"), why);
  }

  @Test
  void aFileMissingFromTheStreamOrOfAnotherSizeIsCaught() throws IOException {
    Map<String, ChecksummingUnpacker.FileSum> sums = ChecksummingUnpacker.unpack(
        new ByteArrayInputStream(tar(Map.of("PG_VERSION", "15\n"))), dir, n -> {});
    JsonNode missing = manifest(Map.of("PG_VERSION", new long[] {3}, "global/pg_control",
        new long[] {8192}), Map.of("PG_VERSION", PG_VERSION_15_HEX, "global/pg_control",
        "00000000"));
    assertTrue(ManifestChecksums.firstMismatch(missing, sums).orElseThrow()
        .contains("global/pg_control"));
    JsonNode longer = manifest(Map.of("PG_VERSION", new long[] {4}),
        Map.of("PG_VERSION", PG_VERSION_15_HEX));
    assertTrue(ManifestChecksums.firstMismatch(longer, sums).orElseThrow().contains("size"));
  }

  @Test
  void anEntryOutsideTheDirectoryIsRefusedAndNothingIsWrittenThere() throws IOException {
    byte[] tar = tar(Map.of("../escaped", "no"));
    Path into = Files.createDirectory(dir.resolve("into"));
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> ChecksummingUnpacker.unpack(new ByteArrayInputStream(tar), into, n -> {}));
    assertTrue(f.getType().endsWith("BASE_VERIFY_FAILED"), f.getType());
    assertFalse(Files.exists(dir.resolve("escaped")));
  }

  @Test
  void anEncodedPathOrAnotherAlgorithmLeavesTheChecksumsToPgVerifybackup() {
    ObjectNode m = JSON.createObjectNode();
    m.putArray("Files").addObject().put("Encoded-Path", "ff").put("Size", 1)
        .put("Checksum-Algorithm", "CRC32C").put("Checksum", "00000000");
    assertFalse(ManifestChecksums.checkable(m));
    ObjectNode sha = JSON.createObjectNode();
    sha.putArray("Files").addObject().put("Path", "a").put("Size", 1)
        .put("Checksum-Algorithm", "SHA256").put("Checksum", "00");
    assertFalse(ManifestChecksums.checkable(sha));
  }

  private static JsonNode manifest(Map<String, long[]> sizes, Map<String, String> crcs) {
    ObjectNode m = JSON.createObjectNode();
    var files = m.putArray("Files");
    sizes.forEach((p, s) -> files.addObject().put("Path", p).put("Size", s[0])
        .put("Checksum-Algorithm", "CRC32C").put("Checksum", crcs.get(p)));
    return m;
  }

  private static byte[] tar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (var f : new java.util.TreeMap<>(files).entrySet()) {
        byte[] b = f.getValue().getBytes(StandardCharsets.US_ASCII);
        TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }
}
