package io.lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application workflow ids name the estate: they are WorkflowLaunch's "one at a time" lock over
 * the whole namespace, and two estates may share a namespace and an application name.
 */
class AppPlansIdsTest {
  private static final Path EXAMPLE =
      Path.of("../examples/farmtally/lifeboat.yml").toAbsolutePath().normalize();

  private static LifeboatConfig withEstate(Path dir, String estate) throws Exception {
    String yaml = Files.readString(EXAMPLE).replaceFirst("(?m)^estate: .*$", "estate: " + estate);
    Path file = dir.resolve(estate + ".yml");
    Files.writeString(file, yaml);
    return new ConfigLoader().load(file);
  }

  @Test
  void appBackupAndRollbackIdsNameTheEstate(@TempDir Path dir) throws Exception {
    LifeboatConfig north = withEstate(dir, "north");
    LifeboatConfig south = withEstate(dir, "south");
    var app = north.applications().get(0);
    assertEquals("backup-app-north-" + app.name(), AppPlans.appBackupId(north, app));
    assertEquals("rollback-app-north-" + app.name(), AppPlans.rollbackId(north, app));
    assertEquals("backup-config-north", AppPlans.configBackupId(north));
    assertNotEquals(AppPlans.appBackupId(north, app),
        AppPlans.appBackupId(south, south.applications().get(0)));
    assertNotEquals(AppPlans.rollbackId(north, app),
        AppPlans.rollbackId(south, south.applications().get(0)));
    assertEquals("backup-app-" + app.name(), AppPlans.legacyAppBackupId(app));
  }
}
