package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.config.FilesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** duplicity's sets and chains from its object names, and a generation's listing. */
class DuplicityRecordsTest {
  @TempDir Path dir;

  @Test
  void setsAndChainsFromTheManifestNamesOnly() {
    String p = "it/x/files/uploads/";
    List<DuplicityRecords.Set1> sets = DuplicityRecords.sets(List.of(
        p + "duplicity-full-signatures.20261206T200208Z.sigtar.gpg",
        p + "duplicity-full.20261206T200208Z.manifest.gpg",
        p + "duplicity-full.20261206T200208Z.vol1.difftar.gpg",
        p + "duplicity-inc.20261206T200208Z.to.20261206T200215Z.manifest.gpg",
        p + "duplicity-inc.20261206T200215Z.to.20261206T200300Z.manifest.gpg",
        // a full set still uploading: no manifest yet, not a set
        p + "duplicity-full.20261206T210000Z.vol1.difftar.gpg",
        p + "duplicity-full.20261206T220000Z.manifest.gpg"));
    long full1 = DuplicityRecords.epoch("20261206T200208Z");
    assertEquals(List.of(
        new DuplicityRecords.Set1(full1, full1, true),
        new DuplicityRecords.Set1(DuplicityRecords.epoch("20261206T200215Z"), full1, false),
        new DuplicityRecords.Set1(DuplicityRecords.epoch("20261206T200300Z"), full1, false),
        new DuplicityRecords.Set1(DuplicityRecords.epoch("20261206T220000Z"),
            DuplicityRecords.epoch("20261206T220000Z"), true)), sets);
    assertEquals(1796587328L, full1);
  }

  @Test
  void theListingDescribesWhatDuplicityHoldsFromTheSource() throws Exception {
    Path src = dir.resolve("uploads");
    Files.createDirectories(src.resolve("empty"));
    Files.writeString(src.resolve("Grüße.txt"), "hi\n");
    Files.setPosixFilePermissions(src.resolve("Grüße.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(src.resolve("l"), Path.of("Grüße.txt"));
    FilesConfig f = new FilesConfig("uploads", null, List.of(src.toString()), List.of(),
        "duplicity", "P", null, null, null);
    String rel = src.toString().substring(1);
    List<JsonNode> entries = DuplicityRecords.entries(f, List.of(
        "Sun Dec  6 19:58:27 2026 .",
        "Sun Dec  6 20:02:15 2026 " + rel.substring(0, rel.indexOf('/')),
        "Sun Dec  6 20:02:07 2026 " + rel,
        "Sun Dec  6 20:02:07 2026 " + rel + "/Grüße.txt",
        "Sun Dec  6 20:02:07 2026 " + rel + "/empty",
        "Sun Dec  6 20:02:07 2026 " + rel + "/l",
        "Sun Dec  6 20:02:07 2026 " + rel + "/gone-since"));
    assertEquals(5, entries.size(), entries.toString());
    assertEquals("dir", entries.get(0).path("type").asText());
    assertEquals(false, entries.get(0).has("mode"), "above the paths: no mode compared");
    JsonNode file = entries.get(2);
    assertEquals("/" + rel + "/Grüße.txt", file.path("path").asText());
    assertEquals(0600, file.path("mode").asInt());
    assertEquals(3, file.path("size").asLong());
    assertEquals(MirrorTree.sha256(src.resolve("Grüße.txt")), file.path("sha256").asText());
    assertEquals("symlink", entries.get(4).path("type").asText());
    assertEquals("Grüße.txt", entries.get(4).path("linktarget").asText());
  }
}
