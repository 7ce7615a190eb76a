package io.lifeboat.recover.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.server.PlaybookRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * servers[].provisionPlaybook for real: a tiny playbook (local connection) builds the "host"
 * from the lb_* facts; run again it changes nothing (the retry after a crash); a failing task
 * is one line naming it. Needs ansible-playbook (the launcher installs it), so it runs with
 * the integration tests.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class ProvisionPlaybookTest {
  @TempDir Path dir;

  private PlaybookRequest request(String playbook) throws Exception {
    Path inventory = dir.resolve("inventory.ini");
    Files.writeString(inventory, "localhost ansible_connection=local"
        + " ansible_python_interpreter=/usr/bin/python3\n");
    ServerTargetConfig t = new ServerTargetConfig("dr", "127.0.0.9", dir.resolve("root").toString(),
        "farmtally.test", 8080, 8443, 3301, "farmtally_production", "farmtally", null,
        inventory.toString(), "/unused/site.yml", playbook, null, null, null);
    DatabaseConfig db = new DatabaseConfig("farmtally_production", "127.0.0.1", 55433,
        "lifeboat", "LIFEBOAT_PG_PASSWORD", null, List.of());
    ApplicationConfig app = new ApplicationConfig("farmtally", "/opt/farmtally", "farmtally",
        null, null, "http://127.0.0.1:3300/api/health", null, null, null, null);
    return new PlaybookRequest(t, playbook, null, db, app);
  }

  private Path playbook(String tasks) throws Exception {
    Path p = dir.resolve("provision.yml");
    Files.writeString(p, """
        - hosts: all
          gather_facts: false
          tasks:
        """ + tasks);
    return p;
  }

  @Test
  void buildsTheHostFromTheTargetsFactsAndChangesNothingTheSecondTime() throws Exception {
    Path p = playbook("""
            - name: the server's root
              ansible.builtin.file: {path: "{{ lb_root }}", state: directory, mode: "0755"}
            - name: what was provisioned
              ansible.builtin.copy:
                dest: "{{ lb_root }}/provisioned"
                content: "{{ lb_target }} at {{ lb_address }}\\n"
        """);
    PlaybookRequest req = request(p.toString());
    String first = Ansible.run(req, "psql", new ToolRunner(() -> { }));
    assertTrue(first.contains("changed=2") && first.contains("failed=0"), first);
    assertEquals("dr at 127.0.0.9\n", Files.readString(dir.resolve("root/provisioned")));
    String again = Ansible.run(req, "psql", new ToolRunner(() -> { }));
    assertTrue(again.contains("changed=0") && again.contains("failed=0"), again);
  }

  @Test
  void aFailingTaskIsOneLineNamingIt() throws Exception {
    Path p = playbook("""
            - name: order the server
              ansible.builtin.fail: {msg: "the cloud account has no quota left"}
        """);
    ApplicationFailure e = assertThrows(ApplicationFailure.class,
        () -> Ansible.run(request(p.toString()), "psql", new ToolRunner(() -> { })));
    assertEquals(FailureKind.ANSIBLE_FAILED.type(), e.getType());
    assertTrue(e.getOriginalMessage().contains("no quota left"), e.getOriginalMessage());
    assertEquals(1, e.getOriginalMessage().lines().count(), e.getOriginalMessage());
  }
}
