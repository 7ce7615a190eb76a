package io.lifeboat.rollback;

import io.lifeboat.backup.artifact.ArchiveActivitiesImpl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.rollback.ReleaseFacts;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectReleaseTest {
  @TempDir Path root;

  private ApplicationConfig app() {
    return new ApplicationConfig("farmtally", root.toString(), null, null, null,
        "http://127.0.0.1:1/api/health", List.of(), null, null, null);
  }

  @Test
  void aLinkedCurrentIsArchivedAsTheDirectoryItPointsTo() throws Exception {
    Path release = Files.createDirectories(root.resolve("releases/20261121"));
    Files.writeString(release.resolve("REVISION"), "abc123\n");
    Files.createSymbolicLink(root.resolve("current"), Path.of("releases/20261121"));
    ReleaseFacts f = new ArchiveActivitiesImpl(null).inspectRelease(app());
    assertEquals(release.toRealPath().toString(), f.directory());
    assertEquals("abc123", f.commit());
  }

  @Test
  void aMissingReleaseIsNotRetried() {
    ApplicationFailure e = assertThrows(ApplicationFailure.class,
        () -> new ArchiveActivitiesImpl(null).inspectRelease(app()));
    assertEquals(FailureKind.APP_RELEASE_MISSING.type(), e.getType());
  }
}
