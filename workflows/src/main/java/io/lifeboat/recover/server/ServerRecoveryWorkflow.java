package io.lifeboat.recover.server;

import io.lifeboat.approval.Approvable;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.notify.NotificationTarget;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Recovers the whole server onto a target, as the runbook's "complete server loss" does by
 * hand: provision (a person, or a playbook) → system configuration (ansible) → the database
 * (a {@code DatabaseRecoveryWorkflow} child) → the application (download, extract, npm ci) →
 * services (PM2, nginx) → DNS (a person, or RFC 2136) → TLS (certbot) → HTTPS health. Human
 * steps are approvals ({@code lifeboat approve recover-server-NAME STEP --by NAME}); their time
 * is recorded apart from the machines'. Run with the workflow id {@code recover-server-NAME}.
 */
@WorkflowInterface
public interface ServerRecoveryWorkflow extends Approvable {

  /**
   * Not yet under {@link io.lifeboat.run.WorkflowIds}' estate rule: the drill's full-system
   * scenario starts this workflow as a child under this id (workflow code: changing it needs a
   * {@code Workflow.getVersion} there), and a manual {@code recover server} must keep refusing
   * while a drill recovers onto the same target, so both move together.
   */
  static String workflowId(String target) {
    return "recover-server-" + target;
  }

  /** The database child's id: its own, so a database recovery of production never clashes. */
  static String databaseWorkflowId(String target, String database) {
    return "recover-server-" + target + "-db-" + database;
  }

  /** The request `recover server` starts, from the estate's config. */
  static ServerRecoveryRequest request(LifeboatConfig c, ServerTargetConfig target,
      DatabaseConfig db, ApplicationConfig app) {
    return request(c, target, db, app, io.lifeboat.config.RepositoryChoice.PRIMARY);
  }

  /**
   * The same, reading from the repository named {@code from} (see
   * {@link io.lifeboat.config.RepositoryChoice}).
   *
   * @throws io.lifeboat.config.ConfigException for an unknown name or a missing offsite
   */
  static ServerRecoveryRequest request(LifeboatConfig c, ServerTargetConfig target,
      DatabaseConfig db, ApplicationConfig app, String from) {
    return new ServerRecoveryRequest(target, db, app,
        io.lifeboat.config.RepositoryChoice.resolve(c, from),
        c.targets().serverRtoMinutes(), c.targets().databaseRtoMinutes(), c.estate(),
        c.retries(), NotificationTarget.of(c), null, from, c.approvals())
        .withItems(RestorePlan.resolve(c, target))
        // Its reports go offsite as soon as they are stored, unless it reads from the offsite.
        .withReportsOffsite(from == null || io.lifeboat.config.RepositoryChoice.PRIMARY.equals(from)
            ? c.offsite() : null);
  }

  String STEP_PROVISION = "provision";
  String STEP_DNS = "dns";

  @WorkflowMethod
  ServerRecoveryResult recover(ServerRecoveryRequest request);

  @QueryMethod
  ServerRecoveryProgress progress();
}
