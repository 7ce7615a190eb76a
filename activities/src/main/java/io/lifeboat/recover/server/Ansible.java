package io.lifeboat.recover.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.process.Commands;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.recover.server.PlaybookRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible-playbook against the target's inventory, with the target's facts as lb_* extra vars
 * (one JSON argument, never through a shell). Idempotent by ansible's own design, so a retry
 * after a crash runs the playbook again.
 */
final class Ansible {
  static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Ansible() {}

  static Map<String, Object> vars(PlaybookRequest req, String psql) {
    ServerTargetConfig t = req.target();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("lb_root", t.root());
    v.put("lb_target", t.name());
    v.put("lb_address", t.address());
    v.put("lb_domain", t.domain());
    v.put("lb_http_port", t.httpPort());
    v.put("lb_https_port", t.httpsPort());
    v.put("lb_app_port", t.appPort());
    v.put("lb_app_name", req.application().name());
    v.put("lb_pm2_name", req.application().pm2Name());
    v.put("lb_pg_os_user", t.postgres().osUser());
    v.put("lb_pg_host", req.database().host());
    v.put("lb_pg_port", req.database().port());
    v.put("lb_db_name", req.database().name());
    v.put("lb_db_user", req.database().user());
    v.put("lb_psql", psql);
    if (t.host() != null) v.put("lb_host", t.host());
    v.put("lb_applications", applications(req));
    return v;
  }

  /**
   * Every application the target restores, in restore order (issue 17), each with where it
   * listens on the target and the database it reads: the playbook lays down an ecosystem file
   * per application, and the services step starts each under PM2. A request without items
   * (recorded before) holds the target's own application only.
   */
  static List<Map<String, Object>> applications(PlaybookRequest req) {
    ServerTargetConfig t = req.target();
    List<Map<String, Object>> apps = new ArrayList<>();
    List<RestoreItem> items = req.items() == null ? List.of() : req.items();
    boolean own = false;
    for (RestoreItem i : items) {
      if (!RestoreItem.APPLICATION.equals(i.kind())) continue;
      own |= i.name().equals(req.application().name());
      String db = i.dependsOn() != null ? i.dependsOn() : req.database().name();
      String user = items.stream().filter(d -> d.database() != null
          && d.name().equals(db)).map(d -> d.database().user()).findFirst()
          .orElse(req.database().user());
      apps.add(application(i.application(), TargetEstate.appPort(t, i.name()), t.postgresHost(),
          TargetEstate.port(t, db), db, user));
    }
    if (!own) {
      apps.add(0, application(req.application(), t.appPort(), req.database().host(),
          req.database().port(), req.database().name(), req.database().user()));
    }
    return apps;
  }

  private static Map<String, Object> application(ApplicationConfig app, int port,
      String dbHost, int dbPort, String db, String user) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("name", app.name());
    a.put("pm2_name", app.pm2Name());
    a.put("port", port);
    a.put("pg_host", dbHost);
    a.put("pg_port", dbPort);
    a.put("db_name", db);
    a.put("db_user", user);
    return a;
  }

  /**
   * The agent's lb_agent_* vars (issue 17), or empty when the target does not install it: the
   * archive, the config and the env file's settings, read from the control worker's
   * environment ({@code env}). They hold secrets, so they go to ansible in a 0600 file.
   */
  static Map<String, Object> agentVars(ServerTargetConfig t, Secrets env) {
    Map<String, Object> v = new LinkedHashMap<>();
    ServerTargetConfig.AgentInstall a = t.agent();
    if (a == null) return v;
    if (!Files.isRegularFile(Path.of(a.tarball()))) {
      throw FailureKind.CONFIG_INVALID.failure("the agent's archive " + a.tarball() + " of target "
          + t.name() + " does not exist (mvn -DskipTests package -pl dist -am builds it)");
    }
    String config = a.config() != null ? a.config() : env.optional("LIFEBOAT_CONFIG");
    if (config != null && !config.isBlank() && !Files.isRegularFile(Path.of(config))) {
      throw FailureKind.CONFIG_INVALID.failure("the agent's config " + config + " of target "
          + t.name() + " does not exist");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : a.env()) {
      String value = env.optional(name);
      if (value == null) {
        throw FailureKind.CONFIG_INVALID.failure("servers " + t.name() + " agent.env names "
            + name + ", which the control worker's environment does not set");
      }
      if (value.contains("\n")) {
        throw FailureKind.CONFIG_INVALID.failure("environment variable " + name
            + " holds a line break: an env file line cannot carry it");
      }
      settings.put(name, value);
    }
    v.put("lb_agent_tarball", Path.of(a.tarball()).toAbsolutePath().toString());
    v.put("lb_agent_config", config == null || config.isBlank() ? ""
        : Path.of(config).toAbsolutePath().toString());
    v.put("lb_agent_env", settings);
    return v;
  }

  static String run(PlaybookRequest req, String psql, ToolRunner tools) {
    return run(req, psql, new Secrets(Map.of()), tools);
  }

  static String run(PlaybookRequest req, String psql, Secrets env, ToolRunner tools) {
    ServerTargetConfig t = req.target();
    if (!Files.isRegularFile(Path.of(req.playbook()))) {
      throw FailureKind.CONFIG_INVALID.failure("playbook " + req.playbook() + " of target "
          + t.name() + " does not exist");
    }
    if (!Files.isRegularFile(Path.of(t.inventory()))) {
      throw FailureKind.CONFIG_INVALID.failure("inventory " + t.inventory() + " of target "
          + t.name() + " does not exist");
    }
    List<String> argv = new ArrayList<>(List.of("ansible-playbook", "-i", t.inventory(),
        req.playbook(), "-e", json(vars(req, psql))));
    if (req.tags() != null) argv.addAll(List.of("--tags", req.tags()));
    Map<String, Object> agent = agentVars(t, env);
    Path agentFile = agent.isEmpty() ? null : secretFile(json(agent));
    if (agentFile != null) argv.addAll(List.of("-e", "@" + agentFile));
    try {
      return run(req, argv, tools);
    } finally {
      if (agentFile != null) {
        try {
          Files.deleteIfExists(agentFile);
        } catch (java.io.IOException ignored) {
          // a temp file of 0600: the next boot's tmp cleaning takes it
        }
      }
    }
  }

  /** {@code text} in a new file only this user can read. */
  private static Path secretFile(String text) {
    try {
      Path f = Files.createTempFile("lifeboat-agent-vars-", ".json",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(f, text);
      return f;
    } catch (java.io.IOException e) {
      throw FailureKind.ANSIBLE_FAILED.failure("cannot write the agent's vars file: " + e);
    }
  }

  private static String run(PlaybookRequest req, List<String> argv, ToolRunner tools) {
    // Host keys are checked (ansible's default): the inventory pins the new server's key
    // (ansible_ssh_common_args with UserKnownHostsFile, or the control user's known_hosts);
    // never StrictHostKeyChecking=no, which would trust whoever answers on the address.
    Map<String, String> env = Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_RETRY_FILES_ENABLED", "0",
        "PYTHONUNBUFFERED", "1");
    Commands.Result r = tools.run(FailureKind.ANSIBLE_FAILED, argv,
        Path.of(req.playbook()).getParent(), env, TIMEOUT);
    if (r.exit() != 0) {
      throw FailureKind.ANSIBLE_FAILED.failure("ansible-playbook " + req.playbook() + " exited "
          + r.exit() + ": " + ToolRunner.clip(failedTask(r.stdout() + "\n" + r.stderr())));
    }
    return recap(r.stdout());
  }

  /** "ok=6 changed=1 ... failed=0" of the PLAY RECAP. */
  static String recap(String out) {
    String line = out.lines().filter(l -> l.contains(" ok=") && l.contains("failed="))
        .reduce((a, b) -> b).orElse("");
    int at = line.indexOf("ok=");
    return at < 0 ? "done" : line.substring(at).replaceAll("\\s+", " ").strip();
  }

  /** The task that failed and its message, else the last line. */
  static String failedTask(String out) {
    String task = null;
    String fatal = null;
    for (String l : out.split("\n")) {
      if (l.startsWith("TASK [")) task = l.substring(5, l.indexOf(']') + 1);
      if (l.startsWith("fatal:") || l.contains("ERROR!")) {
        fatal = l.strip();
        break;
      }
    }
    if (fatal == null) return Commands.lastLine(out);
    return (task == null ? "" : "task " + task + ": ") + fatal;
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
