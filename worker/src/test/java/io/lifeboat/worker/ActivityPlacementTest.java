package io.lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.Secrets;
import io.lifeboat.offsite.OffsiteActivitiesImpl;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.backup.artifact.ArchiveActivities;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.drill.DrillActivities;
import io.lifeboat.host.ActivityPlacement;
import io.lifeboat.recover.db.DatabaseRecoveryActivities;
import io.lifeboat.recover.server.ServerRecoveryActivities;
import io.temporal.activity.ActivityInterface;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every activity the worker registers says where it runs (issue 17, ActivityPlacement): a new
 * activity interface registered without a HOST_BOUND or ANYWHERE entry fails here, and stops
 * the worker from starting.
 */
class ActivityPlacementTest {
  private final Secrets secrets = new Secrets(Map.of());
  private TestWorkflowEnvironment env;
  private StoreFactory stores;
  private OffsiteActivitiesImpl offsite;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    stores = new StoreFactory(secrets);
    offsite = new OffsiteActivitiesImpl(stores, secrets);
  }

  @AfterEach
  void tearDown() {
    offsite.close();
    stores.close();
    env.close();
  }

  private List<Object> registered() {
    return LifeboatWorker.activityImplementations(env.getWorkflowClient(), stores, secrets,
        PgTools.discover(secrets), offsite);
  }

  @Test
  void everyRegisteredActivityInterfaceAndMethodIsClassified() {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    for (Object impl : registered()) {
      for (Class<?> i : ActivityPlacement.activityInterfacesOf(impl)) {
        interfaces.add(i);
        missing.addAll(ActivityPlacement.unclassified(i));
      }
    }
    assertEquals(List.of(), missing, "add these to ActivityPlacement, with why");
    // And nothing classified that no worker registers (a stale entry hides a rename).
    assertEquals(Set.copyOf(ActivityPlacement.interfaces()), Set.copyOf(interfaces));
  }

  @Test
  void theAgentRegistersExactlyTheImplementationsWithHostBoundWork() {
    Set<Class<?>> agent = new LinkedHashSet<>();
    for (Object impl : registered()) {
      if (ActivityPlacement.agentRegisters(impl)) {
        agent.addAll(ActivityPlacement.activityInterfacesOf(impl));
      }
    }
    assertEquals(Set.of(ArchiveActivities.class, RollbackActivities.class,
        DatabaseRecoveryActivities.class, ServerRecoveryActivities.class, DrillActivities.class,
        io.lifeboat.recover.redis.RedisRecoveryActivities.class,
        io.lifeboat.backup.redis.RedisBackupActivities.class,
        io.lifeboat.backup.files.FilesActivities.class,
        io.lifeboat.backup.bacula.BaculaActivities.class,
        io.lifeboat.recover.mariadb.MariaDbPhysicalRecoveryActivities.class,
        io.lifeboat.backup.opensearch.OpenSearchBackupActivities.class,
        io.lifeboat.recover.opensearch.OpenSearchRecoveryActivities.class,
        io.lifeboat.backup.mariadb.MariaDbPhysicalActivities.class),
        agent);
    assertEquals(ActivityPlacement.Where.HOST_BOUND,
        ActivityPlacement.where(ArchiveActivities.class, "archiveToRepository"));
    assertEquals(ActivityPlacement.Where.ANYWHERE,
        ActivityPlacement.where(ArchiveActivities.class, "commitArtifactManifest"));
  }

  @ActivityInterface
  public interface Unclassified {
    void somethingNew();
  }

  static final class UnclassifiedImpl implements Unclassified {
    @Override
    public void somethingNew() {}
  }

  @Test
  void anUnclassifiedActivityIsRefusedByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ActivityPlacement.requireClassified(new UnclassifiedImpl()));
    assertTrue(e.getMessage().contains("Unclassified"), e.getMessage());
  }

  @Test
  void theControlWorkerAndAnAgentStart() {
    new LifeboatWorker(env.getWorkflowClient(), "placement-test", secrets).close();
    LifeboatWorker.agent(env.getWorkflowClient(), "placement-test-host-app1", "app1", secrets)
        .close();
    assertTrue(LifeboatWorker.agentIdentity("app1").startsWith("agent@app1/"));
  }
}
