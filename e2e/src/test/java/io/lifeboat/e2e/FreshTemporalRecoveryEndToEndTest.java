package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.TemporalConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Losing Temporal is survivable (issue 18): after a base backup, load and a point in time T,
 * everything is copied offsite (`offsite sync --wait`); then a fresh Temporal (a second
 * `temporal server start-dev` on free ports with its own database file, started and stopped
 * by this test, holding no history at all), a worker on it, the config and the key are enough
 * for `recover db --to T --from offsite` to give back exactly the data at T, with the primary
 * repository unreachable: the repository describes itself.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class FreshTemporalRecoveryEndToEndTest {
  private RealStack stack;
  private OffsiteProxy offsite;
  private ArchivingCluster cluster;
  private String db;
  private int port;
  private Path config;
  private Process temporal;
  private TemporalConnection fresh;
  private LifeboatWorker freshWorker;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    offsite = new OffsiteProxy();
    db = stack.tag + "_fresh";
    port = ArchivingCluster.freePort();
    config = stack.config("fresh", root -> {
      ArchivingCluster.point(root, db, port);
      offsite.addTo(root);
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
    } catch (Exception e) {
      offsite.close();
      stack.close();
      throw e;
    }
    stack.startWorker(offsite.env());
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (freshWorker != null) freshWorker.close();
      if (fresh != null) fresh.close();
      if (temporal != null && temporal.isAlive()) {
        temporal.destroy();
        if (!temporal.waitFor(30, TimeUnit.SECONDS)) temporal.destroyForcibly();
      }
      if (cluster != null) cluster.close();
    } finally {
      stack.close();
      offsite.close();
    }
  }

  @Test
  void aFreshTemporalTheConfigAndTheKeyRecoverFromTheOffsite() throws Exception {
    PitrFixture.createDatabase(cluster);
    PitrFixture.pgbench(cluster, "-i", "-s", "1", "-q");
    PitrFixture.baseBackup(stack, config, db);
    Process load = PitrFixture.load(cluster, 2);
    PitrFixture.PointInTime t;
    try {
      Thread.sleep(2000);
      t = PitrFixture.pointInTime(cluster);
      Thread.sleep(2000);
    } finally {
      PitrFixture.stop(load);
    }
    assertFalse(PitrFixture.checksum(cluster).equals(t.checksum()), "the load went on after T");
    PitrFixture.archiveAll(cluster);
    RealStack.Run sync = stack.cli(offsite.env(), "offsite", "sync", "--wait", "--config",
        config.toString());
    assertEquals(0, sync.exit(), sync.out() + sync.err());

    // The site's Temporal is gone: a new one, empty, on ports of its own.
    int grpc = ArchivingCluster.freePort();
    startTemporal(grpc, stack.dir.resolve("fresh-temporal.db"));
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    int closedPort = closed;
    Path dr = stack.config("fresh-dr", root -> {
      ArchivingCluster.point(root, db, port);
      offsite.addTo(root);
      ((ObjectNode) root.with("temporal")).put("address", "127.0.0.1:" + grpc);
      ((ObjectNode) root.get("repository")).put("endpoint", "http://127.0.0.1:" + closedPort);
    });
    LifeboatConfig c = new ConfigLoader().load(dr);
    fresh = TemporalConnection.open(c.temporal(), offsite.env());
    assertEquals(0, fresh.client().listExecutions("").toList().size(),
        "the fresh Temporal holds no history");
    freshWorker = new LifeboatWorker(fresh.client(), stack.taskQueue,
        new Secrets(offsite.env())).start();

    RealStack.Run r = stack.cli(offsite.env(), "recover", "db", db, "--to", t.time(), "--from",
        "offsite", "--wait", "--config", dr.toString());
    assertEquals(0, r.exit(), r.out() + r.err() + "\n" + cluster.log());
    assertEquals(t.checksum(), PitrFixture.checksum(cluster), "the data as it was at " + t.time());
    assertEquals("off", cluster.psql("show archive_mode"),
        "the recovered server does not archive into the lost primary");
    assertTrue(fresh.client().listExecutions("").toList().size() > 0,
        "the recovery ran on the fresh Temporal");
  }

  private void startTemporal(int grpc, Path dbFile) throws Exception {
    List<String> argv = new ArrayList<>(List.of(RealStack.temporalCli(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", String.valueOf(grpc), "--headless",
        "--db-filename", dbFile.toString(), "--namespace", "default", "--log-level", "warn"));
    for (var key : LifeboatSearchAttributes.ALL) {
      argv.addAll(List.of("--search-attribute", key.getName() + "=Keyword"));
    }
    Path log = stack.dir.resolve("fresh-temporal.log");
    temporal = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    for (int i = 0; ; i++) {
      if (!temporal.isAlive()) {
        throw new IllegalStateException("temporal exited while starting: " + Files.readString(log));
      }
      boolean open;
      try (Socket s = new Socket("127.0.0.1", grpc)) {
        open = true;
      } catch (java.io.IOException notYet) {
        open = false;
      }
      if (open) {
        String list = "";
        try {
          list = ArchivingCluster.sh(RealStack.temporalCli(), "operator", "search-attribute",
              "list", "--address", "127.0.0.1:" + grpc, "--namespace", "default");
        } catch (IllegalStateException notYet) {
          // not serving yet
        }
        String l = list;
        if (LifeboatSearchAttributes.ALL.stream().allMatch(k -> l.contains(k.getName()))) return;
      }
      if (i > 900) throw new IllegalStateException("the fresh temporal never listed the"
          + " search attributes: " + Files.readString(log));
      Thread.sleep(200);
    }
  }
}
