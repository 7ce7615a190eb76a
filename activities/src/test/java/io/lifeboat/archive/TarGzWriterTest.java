package io.lifeboat.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.artifact.ArchiveSource;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's excludes, links kept as links, and a round trip through the safe extractor. */
class TarGzWriterTest {
  @TempDir Path dir;

  @Test
  void excludesAreSkippedAndTheArchiveRoundTrips() throws Exception {
    Path release = dir.resolve("current");
    Files.createDirectories(release.resolve("lib"));
    Files.createDirectories(release.resolve("node_modules/left-pad"));
    Files.createDirectories(release.resolve(".git"));
    Files.createDirectories(release.resolve("logs"));
    Files.writeString(release.resolve("server.js"), "server");
    Files.writeString(release.resolve("lib/auth.js"), "auth");
    Files.writeString(release.resolve("node_modules/left-pad/index.js"), "dep");
    Files.writeString(release.resolve(".git/HEAD"), "ref");
    Files.writeString(release.resolve("logs/app.log"), "log");
    Files.createSymbolicLink(release.resolve("lib/alias.js"), Path.of("auth.js"));

    Path archive = dir.resolve("app.tar.gz");
    TarGzWriter.Summary s;
    try (OutputStream out = Files.newOutputStream(archive)) {
      s = new TarGzWriter(List.of("node_modules", ".git", "logs", "tmp"), true, () -> { })
          .write(List.of(new ArchiveSource(release.toString(), "current", true)), out);
    }
    assertEquals(2, s.fileCount());
    assertEquals(10, s.rawBytes());
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = SafeExtractor.open(archive)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) names.add(e.getName());
    }
    assertEquals(List.of("current/", "current/lib/", "current/lib/alias.js", "current/lib/auth.js",
        "current/server.js"), names);

    Path restored = dir.resolve("restored");
    SafeExtractor.extract(archive, restored, "current", () -> { });
    assertEquals("server", Files.readString(restored.resolve("server.js")));
    assertTrue(Files.isSymbolicLink(restored.resolve("lib/alias.js")));
    assertEquals("auth", Files.readString(restored.resolve("lib/alias.js")));
  }
}
