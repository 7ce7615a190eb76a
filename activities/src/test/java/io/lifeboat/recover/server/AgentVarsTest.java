package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.Secrets;
import io.lifeboat.config.ServerTargetConfig;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * servers[].agent as the playbook gets it (lb_agent_*): the archive, the config (else the
 * control worker's LIFEBOAT_CONFIG), the env file's settings from the worker's environment; a
 * missing archive or an unset variable is one line, CONFIG_INVALID, before ansible starts.
 */
class AgentVarsTest {
  @TempDir Path dir;

  private ServerTargetConfig target(ServerTargetConfig.AgentInstall agent) {
    return new ServerTargetConfig("dr", "10.0.0.9", "/opt/dr", "farmtally.test", 80, 443, 3000,
        "db", "app", null, "/i.ini", "/site.yml", null, null, null, null, "dr", null, null,
        agent);
  }

  @Test
  void theArchiveTheConfigAndTheSettingsOfTheWorkersEnvironment() throws Exception {
    Path tarball = Files.writeString(dir.resolve("lifeboat-1.0.tar.gz"), "x");
    Path config = Files.writeString(dir.resolve("lifeboat.yml"), "estate: x\n");
    Map<String, Object> v = Ansible.agentVars(target(new ServerTargetConfig.AgentInstall(
        tarball.toString(), null, List.of("LIFEBOAT_S3_SECRET_KEY"))),
        new Secrets(Map.of("LIFEBOAT_S3_SECRET_KEY", "s3cret", "LIFEBOAT_CONFIG",
            config.toString(), "OTHER", "not asked for")));
    assertEquals(tarball.toString(), v.get("lb_agent_tarball"));
    assertEquals(config.toString(), v.get("lb_agent_config"));
    assertEquals(Map.of("LIFEBOAT_S3_SECRET_KEY", "s3cret"), v.get("lb_agent_env"));
  }

  @Test
  void noAgentNoVars() {
    assertTrue(Ansible.agentVars(target(null), new Secrets(Map.of())).isEmpty());
  }

  @Test
  void anUnsetVariableOrAMissingArchiveIsOneLine() throws Exception {
    Path tarball = Files.writeString(dir.resolve("lifeboat-1.0.tar.gz"), "x");
    ApplicationFailure unset = assertThrows(ApplicationFailure.class, () -> Ansible.agentVars(
        target(new ServerTargetConfig.AgentInstall(tarball.toString(), null,
            List.of("LIFEBOAT_PG_PASSWORD"))), new Secrets(Map.of())));
    assertEquals("Lifeboat.CONFIG_INVALID", unset.getType());
    assertTrue(unset.getOriginalMessage().contains("LIFEBOAT_PG_PASSWORD"), unset.getMessage());
    ApplicationFailure missing = assertThrows(ApplicationFailure.class, () -> Ansible.agentVars(
        target(new ServerTargetConfig.AgentInstall(dir.resolve("lifeboat-2.0.tar.gz").toString(),
            null, List.of())), new Secrets(Map.of())));
    assertEquals("Lifeboat.CONFIG_INVALID", missing.getType());
    assertTrue(missing.getOriginalMessage().contains("lifeboat-2.0.tar.gz"), missing.getMessage());
  }
}
