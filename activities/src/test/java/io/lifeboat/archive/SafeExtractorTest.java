package io.lifeboat.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an archive can try to write outside its target is refused before any write. */
class SafeExtractorTest {
  @TempDir Path dir;

  interface Entries {
    void add(TarArchiveOutputStream tar) throws IOException;
  }

  private Path archive(Entries entries) throws IOException {
    Path file = dir.resolve("a.tar.gz");
    try (OutputStream out = Files.newOutputStream(file);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.add(tar);
    }
    return file;
  }

  private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true); // keep the name exactly as given
    e.setSize(b.length);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream tar, String name, String target, byte type)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private void assertRefused(Path archive, String expected) {
    Path target = dir.resolve("target");
    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> SafeExtractor.extract(archive, target, "current", () -> { }));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(Files.exists(target), "nothing was written, not even the target directory");
  }

  @Test
  void goodArchiveIsExtractedWithLinksInside() throws Exception {
    Path a = archive(tar -> {
      file(tar, "current/server.js", "ok");
      file(tar, "current/lib/auth.js", "auth");
      link(tar, "current/lib/alias.js", "auth.js", TarArchiveEntry.LF_SYMLINK);
      link(tar, "current/up", "lib/../server.js", TarArchiveEntry.LF_SYMLINK);
      link(tar, "current/hard.js", "current/server.js", TarArchiveEntry.LF_LINK);
    });
    Path target = dir.resolve("target");
    assertEquals(2, SafeExtractor.extract(a, target, "current", () -> { }), "regular files");
    assertEquals("ok", Files.readString(target.resolve("server.js")));
    assertEquals("ok", Files.readString(target.resolve("hard.js")));
    assertEquals("auth", Files.readString(target.resolve("lib/alias.js")));
    assertTrue(Files.isSymbolicLink(target.resolve("up")));
  }

  @Test
  void dotDotIsRefused() throws Exception {
    assertRefused(archive(tar -> {
      file(tar, "current/server.js", "ok");
      file(tar, "current/../../escaped.txt", "bad");
    }), "contains '..'");
  }

  @Test
  void absolutePathIsRefused() throws Exception {
    assertRefused(archive(tar -> file(tar, "/etc/evil", "bad")), "absolute path");
  }

  @Test
  void symlinkOutOfTheTargetIsRefused() throws Exception {
    assertRefused(archive(tar -> link(tar, "current/etc", "../../../etc",
        TarArchiveEntry.LF_SYMLINK)), "outside the target directory");
    assertRefused(archive(tar -> link(tar, "current/passwd", "/etc/passwd",
        TarArchiveEntry.LF_SYMLINK)), "absolute path");
  }

  @Test
  void writingThroughALinkIsRefusedEvenWhenTheLinkStaysInside() throws Exception {
    assertRefused(archive(tar -> {
      link(tar, "current/lib", ".", TarArchiveEntry.LF_SYMLINK);
      file(tar, "current/lib/x.js", "through the link");
    }), "below the symbolic link");
  }

  @Test
  void hardLinkOutsideIsRefused() throws Exception {
    assertRefused(archive(tar -> link(tar, "current/shadow", "../../etc/shadow",
        TarArchiveEntry.LF_LINK)), "contains '..'");
  }

  @Test
  void entriesOutsideTheExpectedTopDirectoryAreRefused() throws Exception {
    assertRefused(archive(tar -> file(tar, "other/server.js", "x")), "not under current/");
  }

  @Test
  void devicesAreRefused() throws Exception {
    assertRefused(archive(tar -> {
      TarArchiveEntry e = new TarArchiveEntry("current/null", TarArchiveEntry.LF_CHR);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }), "device or FIFO");
  }

  @Test
  void duplicateEntriesAreRefusedNotOverwritten() throws Exception {
    Path a = archive(tar -> {
      file(tar, "current/server.js", "first");
      file(tar, "current/server.js", "second");
    });
    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> SafeExtractor.extract(a, dir.resolve("target"), "current", () -> { }));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  @Test
  void configurationArchivesMayHoldAbsoluteLinksButStillNoDotDotNames() throws Exception {
    TarArchiveEntry link = new TarArchiveEntry("nginx/sites-enabled/default",
        TarArchiveEntry.LF_SYMLINK, true);
    link.setLinkName("/etc/nginx/sites-available/default");
    assertEquals("nginx/sites-enabled/default", new EntryGuard(null, true).check(link));
    assertThrows(UnsafeArchiveException.class, () -> new EntryGuard(null, false).check(link));
    TarArchiveEntry up = new TarArchiveEntry("nginx/../../x", TarArchiveEntry.LF_NORMAL, true);
    assertThrows(UnsafeArchiveException.class, () -> new EntryGuard(null, true).check(up));
  }

  @Test
  void lexicalCheck() {
    assertTrue(EntryGuard.staysInside("a/../b"));
    assertTrue(EntryGuard.staysInside("a/b/../.."));
    assertFalse(EntryGuard.staysInside("a/../../b"));
    assertFalse(EntryGuard.staysInside(".."));
  }
}
