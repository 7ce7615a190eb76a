package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.repository.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 22, restore points: `lifeboat snapshot NAME` on a real archiving cluster, a sample
 * application release and a configuration file; `recover db NAME --to-point NAME` gives back
 * exactly the rows committed before the point.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class RestorePointEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RealStack stack;
  private ArchivingCluster cluster;
  private SampleApp app;
  private String db;
  private Path config;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    db = stack.tag + "_points";
    int port = ArchivingCluster.freePort();
    int metricsPort = ArchivingCluster.freePort();
    app = new SampleApp(stack, Map.of(), "points-" + stack.tag);
    Path etc = stack.dir.resolve("etc");
    Files.createDirectories(etc);
    Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
    config = stack.config("points", root -> {
      ArchivingCluster.point(root, db, port);
      root.putObject("metrics").put("port", metricsPort);
      app.addTo(root);
      root.putObject("configuration").putArray("files").add(etc.resolve("hosts").toString());
    });
    try {
      cluster = new ArchivingCluster(stack.tag, db, port, config);
    } catch (Exception e) {
      stack.close();
      throw e;
    }
    stack.startWorker();
    PitrFixture.createDatabase(cluster);
    PitrFixture.psql(cluster, "create table point_rows (id int primary key)");
    PitrFixture.baseBackup(stack, config, db);
  }

  @AfterEach
  void down() throws Exception {
    try {
      if (cluster != null) cluster.close();
    } finally {
      try {
        app.close();
      } finally {
        stack.close();
      }
    }
  }

  @Test
  void snapshotThenRecoverToThePointGivesExactlyTheRowsBeforeIt() throws Exception {
    for (int i = 1; i <= 5; i++) insert(i);
    String point = "before-" + stack.tag;

    RealStack.Run taken = stack.cli("snapshot", point, "--wait", "--json", "--config",
        config.toString());
    assertEquals(0, taken.exit(), taken.out() + taken.err());
    JsonNode m = JSON.readTree(taken.out());
    assertEquals(point, m.path("name").asText());
    JsonNode d = m.path("databases").get(0);
    assertEquals(db, d.path("database").asText(), m.toString());
    assertTrue(d.path("lsn").asText().contains("/"), m.toString());
    assertTrue(stack.store().head(RepositoryLayout.walKey(stack.prefix, db,
        d.path("segment").asText())).isPresent(), "the point's segment is archived: " + m);
    String appBackup = m.path("applicationBackups").path(app.name).asText();
    assertFalse(appBackup.isEmpty(), "an application backup with the point: " + m);
    assertFalse(m.path("configurationBackup").asText().isEmpty(), m.toString());
    assertTrue(stack.store().exists(RepositoryLayout.pointKey(stack.prefix, point)));

    for (int i = 6; i <= 10; i++) insert(i);
    assertEquals("1,2,3,4,5,6,7,8,9,10", rows());

    // The same name again, and a point that does not exist: one line each, nothing started.
    RealStack.Run again = stack.cli("snapshot", point, "--config", config.toString());
    assertNotEquals(0, again.exit());
    assertEquals(1, again.err().strip().lines().count(), again.err());
    assertTrue(again.err().contains("already exists"), again.err());
    RealStack.Run unknown = stack.cli("recover", "db", db, "--to-point", "no-such-point",
        "--wait", "--config", config.toString());
    assertNotEquals(0, unknown.exit());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    assertTrue(unknown.err().contains("no restore point no-such-point"), unknown.err());
    assertEquals("1,2,3,4,5,6,7,8,9,10", rows(), "a refused recovery touched nothing");

    RealStack.Run r = stack.cli("recover", "db", db, "--to-point", point, "--wait",
        "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err() + "\n" + cluster.log());
    assertTrue(r.out().contains("restore point " + point), r.out());
    assertEquals("1,2,3,4,5", rows(), "exactly the rows committed before the point");
    assertEquals("f", cluster.psql("select pg_is_in_recovery()"));
  }

  private void insert(int id) throws Exception {
    PitrFixture.psql(cluster, "insert into point_rows values (" + id + ")");
  }

  private String rows() throws Exception {
    return PitrFixture.psql(cluster,
        "select string_agg(id::text, ',' order by id) from point_rows");
  }
}
