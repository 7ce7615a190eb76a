package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.Secrets;
import io.lifeboat.drill.DrillResult;
import io.lifeboat.drill.ScenarioResult;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.run.RunReport;
import io.lifeboat.worker.LifeboatWorker;
import io.temporal.client.WorkflowFailedException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The files drill scenario (issue 20) on the real stack: a restic source on host app1 (an agent
 * polling app1's queue in this JVM restores it, as it backed it up) and an rsync source without
 * a host, both backed up; {@code drill start monthly --scenario files}, the lead approving
 * through the CLI, restores each newest committed generation into a scratch directory, compares
 * every entry with what the engine recorded, and removes the directory; the report counts the
 * entries and the recovery time against the RTO; the source tree is untouched. Then one flipped
 * byte in the largest restic pack and in the rsync generation's largest file: the next drill's
 * files scenario fails on data integrity, naming both sources, the scratch directories still
 * removed. Without files sources the scenario is refused in one line.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class FilesDrillEndToEndTest {
  private static final String PASSWORD_ENV = "LIFEBOAT_IT_RESTIC_PASSWORD";
  private RealStack stack;
  private Map<String, String> env;
  private LifeboatWorker agent;
  private Path tree;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    env = RealStack.envWith(PASSWORD_ENV, "it-drill-" + stack.prefix.hashCode());
    stack.startWorker(env);
    agent = LifeboatWorker.agent(stack.temporal().client(),
        TaskQueues.forHost(stack.taskQueue, "app1"), "app1", new Secrets(env)).start();
    tree = stack.dir.resolve("uploads");
    Trees.writeSample(tree, 21, "photos/Grüße.txt");
  }

  @AfterEach
  void down() throws Exception {
    if (agent != null) agent.close();
    stack.close();
  }

  private Path restores() {
    return stack.dir.resolve("restores");
  }

  private Path config(String name, boolean withFiles) throws Exception {
    return stack.config(name, root -> {
      root.put("estate", stack.tag);
      root.putObject("drills").put("lead", "ana").put("reminderMinutes", 60);
      root.putArray("hosts").addObject().put("name", "app1").put("address", "127.0.0.1");
      if (!withFiles) return;
      var files = root.putArray("files");
      ObjectNode restic = files.addObject();
      restic.put("name", "uploads").put("host", "app1").put("engine", "restic")
          .put("passwordEnv", PASSWORD_ENV).put("checkReadDataPercent", 100)
          .put("restoreRoot", restores().toString());
      restic.putArray("paths").add(tree.toString());
      ObjectNode rsync = files.addObject();
      rsync.put("name", "mirror").put("engine", "rsync")
          .put("repositoryPath", stack.dir.resolve("mirror").toString())
          .put("restoreRoot", restores().toString());
      rsync.putArray("paths").add(tree.toString());
    });
  }

  /** Starts the drill, approves its start and the files sign-off; its id. */
  private String drill(Path config) throws Exception {
    return Drills.startApproved(stack, env, config, "monthly", "files", "ana");
  }

  /** The scratch directories a drill left under restoreRoot (none, when it cleaned up). */
  private List<String> leftovers() throws Exception {
    if (!Files.isDirectory(restores())) return List.of();
    try (Stream<Path> s = Files.list(restores())) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void filesDrillRestoresEachSourceIntoScratchComparesItAndFailsOnAFlippedByte()
      throws Exception {
    // No files sources: refused before anything starts, one line.
    RealStack.Run none = stack.cli(env, "drill", "start", "monthly", "--scenario", "files",
        "--config", config("nofiles", false).toString());
    assertEquals(2, none.exit(), none.out() + none.err());
    assertEquals(1, none.err().strip().lines().count(), none.err());
    assertTrue(none.err().contains("the files scenario needs files: sources"), none.err());

    Path config = config("filesdrill", true);
    for (String source : List.of("uploads", "mirror")) {
      RealStack.Run b = stack.cli(env, "backup", "files", source, "--wait", "--config",
          config.toString());
      assertEquals(0, b.exit(), source + ": " + b.out() + b.err());
    }
    Map<String, String> before = Trees.describe(tree);

    String id = drill(config);
    DrillResult result = stack.temporal().client().newUntypedWorkflowStub(id)
        .getResult(5, TimeUnit.MINUTES, DrillResult.class);
    assertEquals("succeeded", result.outcome(), result.toString());
    assertEquals(List.of("files"), result.scenarios());
    for (RunReport.Criterion c : result.criteria()) assertTrue(c.met(), c.toString());
    ScenarioResult s = result.results().get(0);
    assertEquals(ScenarioResult.OK, s.outcome(), s.toString());
    assertTrue(s.integrity() && s.rtoMet() && s.machineMillis() > 0, s.toString());
    // 5 files, the tree's 4 directories (itself, photos, photos/2026, empty), 2 links.
    for (String source : List.of("uploads", "mirror")) {
      String restored = s.facts().get(source + ": restored");
      assertTrue(restored != null && restored.startsWith("5 files, 4 directories, 2 links of "
          + tree + " into " + restores().resolve("lifeboat-drill-files-" + source + "-"))
          && restored.endsWith("(removed)"), s.facts().toString());
    }
    assertTrue(s.facts().get("uploads: backup").contains("(restic "), s.facts().toString());
    assertTrue(s.evidence().stream().anyMatch(e -> e.startsWith("mirror: generation ")
        && e.contains("every file's SHA-256")), s.evidence().toString());
    assertTrue(result.steps().stream().anyMatch(x -> x.step().equals("files uploads: agent")),
        "the restic source's restore waited for app1's agent: " + result.steps());
    assertEquals(List.of(), leftovers(), "the scratch directories are removed");
    assertEquals(before, Trees.describe(tree), "the source tree is only read");

    RealStack.Run report = stack.cli(env, "report", id, "--config", config.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains("files: recovery time"), report.out());
    assertTrue(report.out().contains("sign-off-files"), report.out());
    assertTrue(report.out().contains("| data integrity | met |"), report.out());
    assertTrue(report.out().contains("already removed by the restore step"), report.out());

    // One flipped byte in the largest restic pack (in the object store) and in the largest
    // file of the rsync generation (on disk, its modification time kept).
    String packs = stack.prefix + "/files/uploads/data/";
    String victim = stack.store().list(packs).stream()
        .max((a, b) -> Long.compare(size(a), size(b))).orElseThrow();
    byte[] bytes;
    try (InputStream in = stack.store().get(victim)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    stack.store().put(victim, bytes, "application/octet-stream");
    Path file;
    try (Stream<Path> walk = Files.walk(stack.dir.resolve("mirror/generations"))) {
      file = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
    }
    var mtime = Files.getLastModifiedTime(file);
    byte[] content = Files.readAllBytes(file);
    content[content.length / 2] ^= 0x01;
    Files.write(file, content);
    Files.setLastModifiedTime(file, mtime);

    String bad = drill(config);
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> stack.temporal().client().newUntypedWorkflowStub(bad)
            .getResult(5, TimeUnit.MINUTES, DrillResult.class));
    String why = String.valueOf(failed.getCause());
    assertTrue(why.contains("DRILL_FAILED") && why.contains("files uploads: generation")
        && why.contains("did not restore") && why.contains("ciphertext verification failed")
        && why.contains("files mirror: 1 differences")
        && why.contains("cow.jpg: content differs from the SHA-256"), why);
    assertEquals(List.of(), leftovers(), "the scratch directories are removed after a failure");
    RealStack.Run badReport = stack.cli(env, "report", bad, "--config", config.toString());
    assertEquals(0, badReport.exit(), badReport.err());
    assertTrue(badReport.out().contains("files failed"), badReport.out());
    assertFalse(badReport.out().contains("| data integrity | met |"), badReport.out());
    assertTrue(badReport.out().contains("mirror: differences"), badReport.out());
    assertTrue(badReport.out().contains("files: clean-up"), badReport.out());
    assertEquals(before, Trees.describe(tree), "the source tree is only read");
  }

  private long size(String key) {
    return stack.store().head(key).map(i -> i.size()).orElse(0L);
  }
}
