package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Files sources whose repository is on a backup host, over ssh (issue 20: "borg (a repository
 * on a backup host or path)", "rsync (a mirror on a backup host with --link-dest
 * generations)"), on an estate of two machines: app1 holds the tree (in its own /opt, which no
 * other machine sees) and runs its agent; backup1 holds the borg repository and the rsync mirror
 * (in its own /opt) behind its sshd, and runs an agent for rsync's seal, check and retention.
 * ssh uses the harness's client key and the known_hosts that pins each machine's host key,
 * through {@code repositorySshConfig}; StrictHostKeyChecking stays on.
 *
 * <p>For each engine: two backups with a change between them, the first restored here (the
 * control machine pulls over ssh) exactly as it was on app1, retention over ssh, one flipped
 * byte in the repository on backup1 found by the check, and with backup1's sshd stopped the
 * backup fails in one line naming the host and ssh's "Connection refused".
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class FilesOverSshEstateEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD_ENV = "LIFEBOAT_IT_BORG_SSH_PASSPHRASE";
  /** In app1's own /opt (a tmpfs of that machine only). */
  private static final String TREE = "/opt/tree";
  /** In backup1's own /opt. */
  private static final String BACKUPS = "/opt/backups";

  private RealStack stack;
  private WorkerJvm workers;
  private Estate estate;
  private Map<String, String> env;
  private Path sshConfig;
  /** The control worker's metrics port: the stack's own worker holds the example's. */
  private int metricsPort;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    workers = new WorkerJvm(stack.dir);
    estate = new Estate(stack.dir, "app1", "backup1");
    metricsPort = ArchivingCluster.freePort();
    env = RealStack.envWith(PASSWORD_ENV, "it-borg-ssh-" + stack.prefix.hashCode());
    // The harness's client key and pinned host keys; the user's ~/.ssh is left alone.
    sshConfig = stack.dir.resolve("ssh_config");
    Files.writeString(sshConfig, "Host *\n  IdentityFile " + Estate.RUN.resolve("client_key")
        + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + Estate.RUN.resolve("known_hosts")
        + "\n  GlobalKnownHostsFile /dev/null\n");
    estate.exec("backup1", "mkdir", "-p", BACKUPS);
  }

  /** The tree on app1, afresh: files, modes, links (one dangling), an empty dir, a unicode name. */
  private void makeTree() throws Exception {
    estate.exec("app1", "bash", "-c", "set -e; rm -rf " + TREE + "; mkdir -p " + TREE
        + "/photos/2026 " + TREE + "/empty; cd " + TREE + "; printf 'farm uploads\\n' > readme.txt;"
        + " head -c 300000 /dev/urandom > photos/2026/cow.jpg;"
        + " printf 'unicode name\\n' > 'photos/Grüße-日本.txt';"
        + " printf '#!/bin/sh\\necho hi\\n' > run.sh; chmod 750 run.sh;"
        + " printf 'k\\n' > secret.key; chmod 600 secret.key; chmod 710 photos;"
        + " ln -s photos/2026/cow.jpg latest.jpg; ln -s /nonexistent/target dangling");
  }

  @AfterEach
  void down() throws Exception {
    try {
      workers.close();
    } finally {
      try {
        if (estate != null) estate.close();
      } finally {
        stack.close();
      }
    }
  }

  private Path config(String engine, int keepLast) throws Exception {
    return stack.config("files-ssh-" + engine + "-" + keepLast, root -> {
      root.put("estate", stack.tag);
      root.putObject("metrics").put("port", metricsPort);
      var hosts = root.putArray("hosts");
      for (var h : estate.hosts.entrySet()) {
        hosts.addObject().put("name", h.getKey()).put("address", h.getValue());
      }
      ObjectNode f = root.putArray("files").addObject();
      f.put("name", "tree-" + engine).put("host", "app1").put("engine", engine);
      f.putArray("paths").add(TREE);
      f.putArray("excludes").add("*.tmp");
      f.put("repositoryHost", "backup1").put("repositoryUser", "root")
          .put("repositorySshConfig", sshConfig.toString())
          .put("repositoryPath", BACKUPS + "/" + engine);
      if (engine.equals("borg")) f.put("passwordEnv", PASSWORD_ENV);
      f.put("restoreRoot", stack.dir.toString());
      f.putObject("keep").put("last", keepLast);
    });
  }

  private RealStack.Run backup(Path config, String engine) {
    return stack.cli(env, "backup", "files", "tree-" + engine, "--wait", "--json", "--config",
        config.toString());
  }

  private JsonNode backedUp(Path config, String engine) throws Exception {
    RealStack.Run run = backup(config, engine);
    assertEquals(0, run.exit(), run.out() + run.err() + "\ncontrol:\n" + workers.log("control")
        + "\napp1:\n" + estate.log("agent-app1") + "\nbackup1:\n" + estate.log("agent-backup1"));
    JsonNode m = JSON.readTree(run.out()).path("manifest");
    assertTrue(m.path("verification").asText().startsWith("ok:"), m.toString());
    return m;
  }

  /**
   * Types, modes, link targets and names of every entry, then each file's SHA-256: the same
   * pipeline inside a machine ({@code host}) or here (null).
   */
  private String describe(String host, String dir) throws Exception {
    String script = "set -e; cd '" + dir + "'; find . -mindepth 1 -printf '%y %m %P -> %l\\n'"
        + " | LC_ALL=C sort; find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum";
    if (host != null) return estate.exec(host, "bash", "-c", script);
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /** One byte in the middle of the largest file below {@code dir} on backup1, mtime kept. */
  private String flipAByteOnBackup1(String dir) throws Exception {
    String py = "import os,sys\n"
        // regular files only: the tree's symbolic links point at absolute paths of app1
        + "fs=[p for d,_,n in os.walk(sys.argv[1])\n"
        + "    for p in (os.path.join(d,f) for f in n) if not os.path.islink(p)]\n"
        + "v=max(fs,key=os.path.getsize); st=os.stat(v)\n"
        + "b=bytearray(open(v,'rb').read()); b[len(b)//2]^=1; open(v,'wb').write(b)\n"
        + "os.utime(v,(st.st_atime,st.st_mtime)); print(v)\n";
    return estate.exec("backup1", "python3", "-c", py, dir).strip();
  }

  private void oneLine(RealStack.Run run, Consumer<String> check) {
    assertEquals(1, run.exit(), run.out() + run.err());
    String line = run.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertFalse(line.contains("Exception") || line.contains("\tat "), line);
    check.accept(line);
  }

  @Test
  void borgAndRsyncKeepTheirRepositoryOnTheBackupHostOverSsh() throws Exception {
    estate.startAgent("app1", config("borg", 10), stack.taskQueue, "agent-app1", env);
    estate.startAgent("backup1", config("borg", 10), stack.taskQueue, "agent-backup1", env);
    workers.start(config("borg", 10), stack.taskQueue, "control", env);
    String backup1 = estate.address("backup1");
    assertFalse(Files.exists(Path.of(TREE)), "the tree is app1's only");

    for (String engine : List.of("borg", "rsync")) {
      makeTree();
      Path config = config(engine, 10);
      JsonNode first = backedUp(config, engine);
      String gen1 = first.path("snapshotId").asText();
      assertEquals("ssh://root@" + backup1 + BACKUPS + "/" + engine,
          first.path("repository").asText(), first.toString());
      assertEquals(5, first.path("totalFiles").asLong(), first.toString());
      // The repository is on backup1 only: not on app1, not here.
      estate.exec("backup1", "test", "-d", BACKUPS + "/" + engine);
      estate.exec("app1", "test", "!", "-e", BACKUPS);
      assertFalse(Files.exists(Path.of(BACKUPS)));
      Map<String, List<String>> ran = ActivityHistory.whoRan(stack.temporal().client(),
          first.path("workflowId").asText());
      assertTrue(ran.get("FilesBackup").get(0).startsWith("agent@app1/"), ran.toString());
      if (engine.equals("rsync")) {
        for (String type : List.of("FilesInit", "FilesSeal", "FilesCheck", "FilesForget")) {
          assertTrue(ran.get(type).get(0).startsWith("agent@backup1/"), type + ": " + ran);
        }
      } else {
        for (String type : List.of("FilesInit", "FilesCheck", "FilesForget")) {
          assertTrue(ran.get(type).get(0).startsWith("agent@app1/"), type + ": " + ran);
        }
      }
      String before = describe("app1", TREE);

      estate.exec("app1", "bash", "-c", "set -e; cd " + TREE + "; printf 'edited\\n' >"
          + " readme.txt; rm photos/2026/cow.jpg; chmod 644 secret.key; rmdir empty;"
          + " printf 'new\\n' > new-" + engine + ".txt; printf 'x\\n' > scratch.tmp");
      JsonNode second = backedUp(config, engine);
      String gen2 = second.path("snapshotId").asText();
      assertFalse(gen1.equals(gen2));

      // The first generation, pulled over ssh to this machine, exactly as app1 had it.
      Path to = stack.dir.resolve("restored-" + engine);
      RealStack.Run restore = stack.cli(env, "restore", "files", "tree-" + engine,
          "--snapshot", gen1, "--to", to.toString(), "--json", "--config", config.toString());
      assertEquals(0, restore.exit(), restore.out() + restore.err());
      assertEquals(0, JSON.readTree(restore.out()).path("differences").size(), restore.out());
      assertEquals(before, describe(null, to + TREE));

      // Retention over ssh: keep the last one.
      JsonNode third = backedUp(config(engine, 1), engine);
      assertEquals(1, third.path("kept").size(), third.toString());
      assertEquals(List.of(gen1, gen2), ids(third.path("removed")), third.toString());

      // One flipped byte in the repository on backup1: the next backup's check finds it.
      flipAByteOnBackup1(BACKUPS + "/" + engine + (engine.equals("borg") ? "/data"
          : "/generations"));
      oneLine(backup(config(engine, 1), engine), line -> assertTrue(
          line.contains("verification of files source tree-" + engine + " failed")
              && line.contains(engine.equals("borg") ? "borg check --verify-data"
                  : "checksum manifest"), line));
    }

    // backup1's sshd stops: each backup fails in one line naming the host and ssh's reason.
    String pid = Files.readString(Estate.RUN.resolve("backup1/sshd.pid")).strip();
    estate.exec("backup1", "kill", pid);
    for (String engine : List.of("borg", "rsync")) {
      oneLine(backup(config(engine, 1), engine), line -> assertTrue(
          line.contains("ssh to repository host backup1 (root@" + backup1 + ") failed")
              && line.contains("Connection refused"), line));
    }
  }

  private static List<String> ids(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out.stream().sorted().toList();
  }
}
