package io.lifeboat.cli.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.cli.backup.BackupPlans;
import io.lifeboat.cli.wal.WalSchedules;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every schedule `schedules apply` creates, and every id the CLI starts a workflow under, names
 * the estate by the one rule: two estates sharing a namespace and a database or application
 * name never share a schedule or a lock. (The rule itself: WorkflowIdsTest in workflows.)
 */
class ScheduleIdsTest {
  private static final Path EXAMPLE =
      Path.of("../examples/farmtally/lifeboat.yml").toAbsolutePath().normalize();

  static LifeboatConfig withEstate(Path dir, String estate) throws Exception {
    String yaml = Files.readString(EXAMPLE)
        .replaceFirst("(?m)^estate: .*$", "estate: \"" + estate + "\"");
    Path file = dir.resolve(estate.replace(' ', '_') + ".yml");
    Files.writeString(file, yaml);
    return new ConfigLoader().load(file);
  }

  private static List<String> scheduleIds(LifeboatConfig c) {
    List<String> ids = new ArrayList<>();
    for (DatabaseConfig db : c.databases()) {
      ids.add(BackupPlans.workflowIdBase(c, db));
      for (var p : WalSchedules.plans(c, db, null)) ids.add(p.id());
    }
    ids.addAll(SchedulesCommand.monitoring(c, null).keySet());
    for (var p : AppSchedules.planned(c, null)) ids.add(p.id());
    return ids;
  }

  @Test
  void everyScheduleNamesTheEstate(@TempDir Path dir) throws Exception {
    LifeboatConfig north = withEstate(dir, "north");
    LifeboatConfig south = withEstate(dir, "south");
    List<String> n = scheduleIds(north);
    List<String> s = scheduleIds(south);
    assertTrue(n.size() >= 8, "db, base, wal check, verify, check, app, config, drills: " + n);
    for (String id : n) assertTrue(id.contains("-north"), id);
    var shared = new HashSet<>(n);
    shared.retainAll(s);
    assertTrue(shared.isEmpty(), "schedules two estates would share: " + shared);
    assertEquals(n.size(), new HashSet<>(n).size(), "no two schedules share an id: " + n);
  }

  @Test
  void theFarmtallyIds(@TempDir Path dir) throws Exception {
    LifeboatConfig c = withEstate(dir, "farmtally");
    DatabaseConfig db = c.databases().get(0);
    var app = c.applications().get(0);
    assertEquals("backup-db-farmtally-" + db.name(), BackupPlans.workflowIdBase(c, db));
    // The example config has an offsite: its WAL sync schedule too (issue 18).
    assertEquals(List.of("backup-base-farmtally-" + db.name(), "wal-check-farmtally-" + db.name(),
            "offsite-wal-farmtally-" + db.name()),
        WalSchedules.plans(c, db, null).stream().map(WalSchedules.Plan::id).toList());
    assertEquals("*/5 * * * *", WalSchedules.plans(c, db, null).get(2).cron(),
        "a third of the example's RPO of 15 minutes");
    assertEquals("backup-app-farmtally-" + app.name(), AppPlans.appBackupId(c, app));
    assertEquals("rollback-app-farmtally-" + app.name(), AppPlans.rollbackId(c, app));
    assertEquals("backup-config-farmtally", AppPlans.configBackupId(c));
    assertEquals("verify-backups-farmtally", MonitoringPlans.verifyId(c));
    assertEquals("check-backups-farmtally", MonitoringPlans.checkId(c));
  }

  /** The old schedules `apply` retires, and only when they are provably this estate's. */
  @Test
  void olderScheduleIdsAreRetiredOnlyWhenOurs(@TempDir Path dir) throws Exception {
    LifeboatConfig c = withEstate(dir, "farmtally");
    DatabaseConfig db = c.databases().get(0);
    var base = WalSchedules.plans(c, db, null).get(0);
    assertEquals(List.of("backup-base-" + db.name()), base.legacyIds());
    // the schedule this config would create is, by every test, ours
    assertTrue(base.ours().test(base.schedule()));
    // the same schedule from another estate's repository is not
    LifeboatConfig other = withEstate(dir, "other");
    String otherYaml = Files.readString(dir.resolve("other.yml"))
        .replaceFirst("(?m)^(\\s+)bucket: .*$", "$1bucket: someone-else");
    Files.writeString(dir.resolve("other.yml"), otherYaml);
    other = new ConfigLoader().load(dir.resolve("other.yml"));
    var theirs = WalSchedules.plans(other, other.databases().get(0), null).get(0);
    assertFalse(base.ours().test(theirs.schedule()), "another repository's schedule");
    // nor a schedule of another workflow type for the same database
    assertFalse(base.ours().test(WalSchedules.plans(c, db, null).get(1).schedule()));
    // every schedule with an older id to retire knows its own (ours is asked only then; the
    // sources' schedules of issue 19 have none: the example's mariadb, redis, opensearch)
    int withLegacy = 0;
    for (var p : AppSchedules.planned(c, null)) {
      if (p.legacyIds().isEmpty()) continue;
      withLegacy++;
      assertTrue(p.ours().test(p.schedule()), p.id());
    }
    assertTrue(withLegacy >= 1, "the app backup has older ids: " + withLegacy);
  }

  @Test
  void anEstateWithOtherCharactersKeepsItsOldSpellingFindable(@TempDir Path dir)
      throws Exception {
    LifeboatConfig c = withEstate(dir, "Farm Tally");
    var app = c.applications().get(0);
    assertEquals("backup-app-Farm_Tally-" + app.name(), AppPlans.appBackupId(c, app));
    var planned = AppSchedules.planned(c, null).stream()
        .filter(p -> p.id().equals(AppPlans.appBackupId(c, app))).findFirst().orElseThrow();
    assertEquals(List.of("backup-app-" + app.name(), "backup-app-Farm Tally-" + app.name()),
        planned.legacyIds());
  }
}
