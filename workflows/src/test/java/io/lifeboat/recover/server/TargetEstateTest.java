package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.config.ServerTargetConfig.PostgresTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a recovered cluster listens on its target (issue 17). */
class TargetEstateTest {
  private static ServerTargetConfig target(String host, List<String> settings) {
    return new ServerTargetConfig("dr", "10.0.0.7", "/opt/dr", "farmtally.test", 8080, 8443,
        3301, "db", "app", new PostgresTarget(null, 55433, null, "postgres", settings), "inv",
        "site.yml", null, null, null, false, host);
  }

  @Test
  void aTargetOnAnotherHostListensOnItsOwnAddressAndSocketDirectory() {
    assertEquals(List.of("archive_mode=off", "listen_addresses=10.0.0.7",
        "unix_socket_directories=/opt/dr/postgresql"),
        TargetEstate.settings(target("dr", List.of("archive_mode=off"))));
  }

  @Test
  void settingsTheOperatorGaveWin() {
    assertEquals(List.of("listen_addresses=0.0.0.0", "unix_socket_directories=/run/pg"),
        TargetEstate.settings(target("dr", List.of("listen_addresses=0.0.0.0",
            "unix_socket_directories=/run/pg"))));
  }

  @Test
  void aOneMachineTargetKeepsItsSettingsAsTheyAre() {
    assertEquals(List.of("archive_mode=off"),
        TargetEstate.settings(target(null, List.of("archive_mode=off"))));
  }
}
