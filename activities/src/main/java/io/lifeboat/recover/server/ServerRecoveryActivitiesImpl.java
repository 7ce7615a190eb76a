package io.lifeboat.recover.server;

import io.lifeboat.failure.ActivityFailures;
import io.lifeboat.run.Keepalive;
import io.lifeboat.process.Pm2;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.postgres.PgTools;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.recover.server.HttpsCheck;
import io.lifeboat.recover.server.HttpsCheckRequest;
import io.lifeboat.recover.server.PlaybookRequest;
import io.lifeboat.recover.server.ServerRecoveryActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * The server recovery's own activities. The quick ones run inside {@link Keepalive}: the
 * workflow gives them a 10 s heartbeat timeout, so a dead worker is noticed in seconds.
 */
public class ServerRecoveryActivitiesImpl implements ServerRecoveryActivities {
  private final StoreFactory stores;
  private final Pm2 pm2;
  private final PgTools pg;
  /** The control worker's environment: the agent's env file settings come from it. */
  private final Secrets secrets;

  public ServerRecoveryActivitiesImpl(StoreFactory stores, Pm2 pm2, PgTools pg) {
    this(stores, pm2, pg, new Secrets(java.util.Map.of()));
  }

  public ServerRecoveryActivitiesImpl(StoreFactory stores, Pm2 pm2, PgTools pg,
      Secrets secrets) {
    this.stores = stores;
    this.pm2 = pm2;
    this.pg = pg;
    this.secrets = secrets;
  }

  public static ServerRecoveryActivitiesImpl create(StoreFactory stores, Secrets secrets,
      PgTools pg) {
    return new ServerRecoveryActivitiesImpl(stores, Pm2.discover(secrets), pg, secrets);
  }

  @Override
  public String newestRelease(StageRequest request) {
    return ActivityFailures.typed(() -> Keepalive.during(() -> {
      String root = RepositoryLayout.appBackupsRoot(request.repository().prefix(),
          request.application().name());
      if (request.backupId() != null) {
        // Named (a restore point's backup): it must be committed, or nothing is restored.
        String manifest = root + request.backupId() + "/" + RepositoryLayout.MANIFEST;
        if (!stores.forRepository(request.repository()).exists(manifest)) {
          throw FailureKind.BACKUP_NOT_FOUND.failure("application backup " + request.backupId()
              + " of " + request.application().name() + " is not committed in the repository"
              + " (" + manifest + " is missing)");
        }
        return request.backupId();
      }
      String newest = null;
      for (String key : stores.forRepository(request.repository()).list(root)) {
        String rest = key.substring(root.length());
        int slash = rest.indexOf('/');
        if (slash > 0 && rest.substring(slash + 1).equals(RepositoryLayout.MANIFEST)) {
          String id = rest.substring(0, slash);
          if (newest == null || id.compareTo(newest) > 0) newest = id; // ids sort by time
        }
      }
      if (newest == null) {
        throw FailureKind.BACKUP_NOT_FOUND.failure("the repository holds no backup of "
            + request.application().name() + " (lifeboat backup app "
            + request.application().name() + " takes one)");
      }
      return newest;
    }));
  }

  private static Runnable beat() {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    return () -> ctx.heartbeat(null);
  }

  private static ToolRunner tools() {
    return new ToolRunner(beat());
  }

  @Override
  public String runPlaybook(PlaybookRequest request) {
    return ActivityFailures.typed(() -> {
      String binDir = request.target().postgres().binDir();
      String psql = binDir != null ? binDir + "/psql" : pg.tool("psql");
      return Ansible.run(request, psql, secrets, tools());
    });
  }

  @Override
  public String savePm2(ApplicationConfig application) {
    return ActivityFailures.typed(() -> Keepalive.during(() -> pm2.save(application, beat())));
  }

  @Override
  public String startNginx(ServerTargetConfig target) {
    return ActivityFailures.typed(() -> Keepalive.during(() -> Nginx.startOrReload(target, tools())));
  }

  @Override
  public String updateDns(ServerTargetConfig target) {
    return ActivityFailures.typed(() -> Keepalive.during(() -> DnsUpdate.update(target, tools())));
  }

  @Override
  public String issueCertificate(ServerTargetConfig target) {
    return ActivityFailures.typed(() -> Certbot.issue(target, tools()));
  }

  @Override
  public HttpsCheck checkHttps(HttpsCheckRequest request) {
    return ActivityFailures.typed(() -> Keepalive.during(() -> HttpsProbe.check(request, tools(), beat())));
  }
}
