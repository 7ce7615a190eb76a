package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.config.TargetItem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lb_applications (issue 17): every application the target restores, in restore order, with
 * where it listens on the target and the database it reads there, so the playbook lays down an
 * ecosystem file per application; a request recorded before holds the target's own app only.
 */
class PlaybookApplicationsTest {
  private static final DatabaseConfig PROD = new DatabaseConfig("farmtally_production",
      "127.0.0.1", 55432, "lifeboat", "LIFEBOAT_PG_PASSWORD", null, List.of());
  private static final DatabaseConfig ANALYTICS = new DatabaseConfig("analytics", "127.0.0.1",
      55440, "analyst", "LIFEBOAT_PG_PASSWORD", null, List.of());
  private static final ApplicationConfig FARMTALLY = new ApplicationConfig("farmtally",
      "/opt/farmtally", "farmtally", null, null, "http://127.0.0.1:3300/api/health", null, null,
      null, null);
  private static final ApplicationConfig REPORTS = new ApplicationConfig("reports",
      "/opt/reports", "reports-pm2", null, null, "http://127.0.0.1:3400/health", null, null,
      null, null);

  private static ServerTargetConfig target() {
    return new ServerTargetConfig("dr", "127.0.0.2", "/srv/dr", "farmtally.test", 8080, 8443,
        3301, "farmtally_production", "farmtally",
        new ServerTargetConfig.PostgresTarget("127.0.0.1", 55433, null, null, null), "/i.ini",
        "/site.yml", null, null, null, null, null,
        List.of(TargetItem.of("farmtally_production", 1),
            new TargetItem("analytics", "P1", 55444, null)),
        List.of(TargetItem.of("farmtally", 2), new TargetItem("reports", "P3", 3402,
            "analytics")), null);
  }

  @Test
  void everyApplicationWithItsPortAndItsDatabaseOnTheTarget() {
    ServerTargetConfig t = target();
    PlaybookRequest req = new PlaybookRequest(t, "/site.yml", null,
        TargetEstate.database(t, PROD), FARMTALLY, List.of(
            RestoreItem.database(ANALYTICS, 1, 30), RestoreItem.database(PROD, 1, 30),
            RestoreItem.application(FARMTALLY, 2, 15, "farmtally_production"),
            RestoreItem.application(REPORTS, 3, 15, "analytics")));
    List<Map<String, Object>> apps = Ansible.applications(req);
    assertEquals(List.of(
        Map.of("name", "farmtally", "pm2_name", "farmtally", "port", 3301, "pg_host",
            t.postgresHost(), "pg_port", 55433, "db_name", "farmtally_production", "db_user",
            "lifeboat"),
        Map.of("name", "reports", "pm2_name", "reports-pm2", "port", 3402, "pg_host",
            t.postgresHost(), "pg_port", 55444, "db_name", "analytics", "db_user", "analyst")),
        apps);
    assertEquals(apps, Ansible.vars(req, "psql").get("lb_applications"));
  }

  @Test
  void aRequestRecordedBeforeHoldsTheTargetsOwnApplication() {
    ServerTargetConfig t = target();
    PlaybookRequest req = new PlaybookRequest(t, "/site.yml", null,
        TargetEstate.database(t, PROD), FARMTALLY);
    assertEquals(List.of(Map.of("name", "farmtally", "pm2_name", "farmtally", "port", 3301,
        "pg_host", t.postgresHost(), "pg_port", 55433, "db_name", "farmtally_production",
        "db_user", "lifeboat")), Ansible.applications(req));
  }
}
