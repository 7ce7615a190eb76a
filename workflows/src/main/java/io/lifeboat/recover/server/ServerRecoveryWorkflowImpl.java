package io.lifeboat.recover.server;

import static io.lifeboat.run.LifeboatSearchAttributes.DATABASE;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;
import static io.lifeboat.run.LifeboatSearchAttributes.RTO_STATUS;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.rollback.ReleaseStep;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.rollback.StageRequest;
import io.lifeboat.rollback.StagedRelease;
import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.run.ActivityStubs;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.repository.RunKeys;
import io.lifeboat.run.StepRecorder;
import io.lifeboat.run.StepTiming;
import io.lifeboat.recover.db.DatabaseRecoveryWorkflow;
import io.lifeboat.recover.db.RecoveryRequest;
import io.lifeboat.recover.db.RecoveryResult;
import io.lifeboat.recover.db.RecoveryTarget;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;

public class ServerRecoveryWorkflowImpl implements ServerRecoveryWorkflow {
  private static final Logger log = Workflow.getLogger(ServerRecoveryWorkflowImpl.class);
  public static final String REPORT_KIND = "server-recovery";
  /**
   * npm ci, certbot and a slow playbook run for minutes, heartbeating every second while their
   * tool runs (ToolRunner, Commands); a dead worker shows within this. 10 s, as the rollback
   * gives the same release activities: each kill in the fault suite costs one timeout.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * The short steps (newest release, pm2 save, nginx, DNS update, HTTPS check) heartbeat while
   * they run (Keepalive), so a killed worker is noticed in seconds, not after the 10 minute
   * start-to-close: the fault suite kills the worker at each of them.
   */
  static final Duration QUICK_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REMIND_EVERY = Duration.ofMinutes(15);
  /** Past this share of the RTO, still running, the recovery is at-risk (as a database's is). */
  static final double AT_RISK = 0.8;
  static final String RTO_AT_RISK_CHANGE = "rto-at-risk";
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");

  private final StepRecorder steps = new StepRecorder();
  private final HumanGate gate = new HumanGate(steps);
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private ServerRecoveryRequest request;
  private ServerTargetConfig target;
  private long startedAt;
  private long rtoMillis;
  private String rtoStatus = LifeboatSearchAttributes.RTO_ON_TRACK;
  private boolean finished;

  @Override
  public ServerRecoveryResult recover(ServerRecoveryRequest req) {
    request = req;
    target = req.target();
    startedAt = Workflow.currentTimeMillis();
    rtoMillis = req.rtoMinutes() * 60_000L;
    gate.notifying(req.notifications(), "recovery of server " + target.name());
    Workflow.upsertTypedSearchAttributes(DATABASE.valueSet(req.database().name()),
        KIND.valueSet(LifeboatSearchAttributes.KIND_SERVER_RECOVERY),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING),
        RTO_STATUS.valueSet(rtoStatus));
    Async.procedure(this::watchRto);
    facts.put("Target", target.name() + " (" + target.root() + ")");

    ServerRecoveryActivities quick =
        server(req.retry(), Duration.ofMinutes(10), QUICK_HEARTBEAT_TIMEOUT);
    ServerRecoveryActivities slow = server(req.retry(), Duration.ofMinutes(30), HEARTBEAT_TIMEOUT);
    RollbackActivities release = release(req.retry());
    try {
      // 1. Provision: a playbook when configured, else a person builds the host and says where.
      if (target.provisionPlaybook() != null) {
        String recap = step("provision", () -> slow.runPlaybook(playbook(target.provisionPlaybook(), null)));
        facts.put("Provisioned by", target.provisionPlaybook() + ": " + recap);
      } else {
        Approval a = gate.awaitValue(STEP_PROVISION, "provision the new server for target "
            + target.name() + " (directory root " + target.root() + ") and approve with its"
            + " address: --value ADDRESS" + (target.address() == null ? ""
                : " (the config says " + target.address() + ")"), REMIND_EVERY);
        target = target.at(a.value().strip());
        facts.put("Provisioned by", a.by() + (a.reason() == null ? "" : ": " + a.reason()));
      }
      facts.put("Address", target.address());

      // 2. System configuration: nginx, the app's runtime, the PM2 ecosystem.
      String recap = step("configure", () -> slow.runPlaybook(playbook(target.playbook(), null)));
      facts.put("Configuration", target.playbook() + ": " + recap);

      // 3. The database: base backup + WAL into the target's data directory, as a child.
      DatabaseConfig db = TargetEstate.database(target, req.database());
      RecoveryResult dbResult = step("database", () -> recoverDatabase(db));
      facts.put("Database", db.name() + " on " + db.address() + " from "
          + dbResult.plan().backupId() + " (" + dbResult.plan().method() + ")");

      // 4. The application: the newest stored build, extracted safely, npm ci.
      ApplicationConfig app = TargetEstate.application(target, req.application());
      // The staging key (.rollback-KEY, replaced-KEY, the swap marker): the random end of the
      // run id (RunKeys), not its first 8 characters, which every run started in the same
      // minute shares. Runs recorded before keep the key they staged under.
      String runKey = RunKeys.forThisRun();
      StagedRelease staged = step("application", () -> {
        String id = quick.newestRelease(new StageRequest(app, req.repository(), runKey, null));
        StagedRelease s = release.stageRelease(new StageRequest(app, req.repository(), runKey, id));
        ReleaseStep rs = new ReleaseStep(app, s.stagingDir(), runKey);
        release.installDependencies(rs);
        release.swapRelease(rs);
        return s;
      });
      facts.put("Release", staged.source() + ", commit " + staged.commit() + ", "
          + staged.fileCount() + " files");

      // 5. Services: PM2 from the ecosystem file, pm2 save; nginx -t, then start or reload.
      String services = step("services", () -> {
        String pm2 = release.startApp(app);
        quick.savePm2(app);
        var health = release.verifyHealth(app);
        if (!health.healthy()) {
          throw FailureKind.APP_UNHEALTHY.failure("the app does not answer on the target: "
              + String.join("; ", health.checks()));
        }
        return pm2 + "; " + quick.startNginx(target);
      });
      facts.put("Services", services);

      // 6. DNS: a person changes the record (default), or an RFC 2136 update.
      if (ServerTargetConfig.DnsConfig.RFC2136.equals(target.dns().provider())) {
        facts.put("DNS", step("dns", () -> quick.updateDns(target)));
      } else {
        Approval a = gate.await(STEP_DNS, "point " + target.domain() + " (A record) at "
            + target.address() + ", wait for it to resolve, then approve (--value "
            + target.address() + " to confirm the address)", REMIND_EVERY);
        facts.put("DNS", target.domain() + " → " + target.address() + ", changed by " + a.by());
      }

      // 7. TLS: certbot against the ACME directory, then nginx serves HTTPS with it.
      String cert = step("tls", () -> {
        String issued = slow.issueCertificate(target);
        slow.runPlaybook(playbook(target.playbook(), "tls"));
        quick.startNginx(target);
        return issued;
      });
      facts.put("Certificate", cert);

      // 8. Health: through nginx over HTTPS, with data the restored database holds.
      HttpsCheck health = step("health", () -> quick.checkHttps(new HttpsCheckRequest(target,
          TargetEstate.healthPath(req.application()), "/api/stats")));
      facts.put("Health", String.join("; ", health.checks()));
      if (health.data() != null) facts.put("Data served", health.data());

      steps.finish("done");
      finished = true;
      long now = Workflow.currentTimeMillis();
      rtoStatus = now - startedAt <= rtoMillis ? LifeboatSearchAttributes.RTO_MET
          : LifeboatSearchAttributes.RTO_BREACHED;
      Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus),
          OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_SUCCEEDED));
      metrics(now, LifeboatSearchAttributes.RTO_MET.equals(rtoStatus));
      timeFacts(now);
      RunReport report = report(RunReport.SUCCEEDED, now);
      String key = storeReport(report);
      return new ServerRecoveryResult(target.name(), target.address(), target.url(), rtoStatus,
          machineMillis(now), humanMillis(), steps.steps(), health, report, key);
    } catch (ActivityFailure | ApplicationFailure | ChildWorkflowFailure | CanceledFailure e) {
      steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
      finished = true;
      // The new server is left as it is for inspection: nothing on it served anyone yet, and
      // a second run converges on it (every step is idempotent).
      notes.add("failed in step " + lastStep() + ": " + message(e));
      notes.add("the target was left as it is; fix the cause and run `lifeboat recover server"
          + " --target " + target.name() + "` again: the steps done are redone idempotently");
      Workflow.newDetachedCancellationScope(() -> {
        rtoStatus = LifeboatSearchAttributes.RTO_BREACHED;
        Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus),
            OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_FAILED));
        long now = Workflow.currentTimeMillis();
        metrics(now, false);
        timeFacts(now);
        storeReport(report(RunReport.FAILED, now));
      }).run();
      throw e;
    }
  }

  private RecoveryResult recoverDatabase(DatabaseConfig db) {
    DatabaseRecoveryWorkflow child = Workflow.newChildWorkflowStub(DatabaseRecoveryWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(ServerRecoveryWorkflow.databaseWorkflowId(target.name(), db.name()))
            // A cancelled server recovery must not leave a database restore running alone.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .build());
    return child.recover(new RecoveryRequest(db, request.repository(), RecoveryTarget.latest(),
        request.databaseRtoMinutes(), request.estate(), request.retry()));
  }

  private PlaybookRequest playbook(String playbook, String tags) {
    return new PlaybookRequest(target, playbook, tags,
        TargetEstate.database(target, request.database()), request.application());
  }

  // ------------------------------------------------------------------------------------------
  // approvals: the gate's rules, plus the address a provisioning approval must carry

  @Override
  public Approval approve(ApprovalRequest r) {
    validateApprove(r);
    return gate.approve(r);
  }

  @Override
  public void validateApprove(ApprovalRequest r) {
    gate.validate(r);
    String value = r.value() == null ? null : r.value().strip();
    if (STEP_PROVISION.equals(r.step()) && !isAddress(value)) {
      throw new IllegalArgumentException("provision needs the new server's IP address"
          + " (--value 203.0.113.10), not '" + value + "'");
    }
    if (STEP_DNS.equals(r.step()) && value != null && !value.isEmpty()
        && !value.equals(target.address())) {
      throw new IllegalArgumentException("the new server is at " + target.address() + ", not "
          + value + "; point " + target.domain() + " there and approve again");
    }
  }

  static boolean isAddress(String s) {
    return s != null && (IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches()));
  }

  @Override
  public List<WaitingStep> waitingSteps() {
    return gate.waitingSteps();
  }

  @Override
  public List<Approval> approvals() {
    return gate.approvals();
  }

  @Override
  public ServerRecoveryProgress progress() {
    long now = finished && !steps.steps().isEmpty()
        ? steps.steps().get(steps.steps().size() - 1).finishedAtMillis()
        : Workflow.currentTimeMillis();
    return new ServerRecoveryProgress(target == null ? null : target.name(),
        target == null ? null : target.address(), steps.current(), now - startedAt, humanMillis(),
        rtoMillis, rtoStatus, steps.steps(), gate.waitingSteps());
  }

  // ------------------------------------------------------------------------------------------
  // time

  private void metrics(long now, boolean met) {
    ServerRecoveryMetrics.finished(Workflow.getMetricsScope(), target.name(),
        request.database().name(), steps.steps(), (now - startedAt) / 1000.0, rtoMillis / 1000.0,
        met);
  }

  private void watchRto() {
    // Runs recorded before at-risk existed had one timer for the whole RTO; they replay as such.
    if (Workflow.getVersion(RTO_AT_RISK_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      Workflow.await(Duration.ofMillis(Math.max(1, (long) (rtoMillis * AT_RISK))), () -> finished);
      if (!finished && LifeboatSearchAttributes.RTO_ON_TRACK.equals(rtoStatus)) {
        rtoStatus = LifeboatSearchAttributes.RTO_AT_RISK;
        Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus));
        ServerRecoveryMetrics.atRisk(Workflow.getMetricsScope(), target.name(), true);
        log.warn("recovery of server {} has used {} % of its RTO of {} min and is still in step"
            + " {}", target.name(), Math.round(AT_RISK * 100), request.rtoMinutes(),
            steps.current());
      }
      long left = rtoMillis - (Workflow.currentTimeMillis() - startedAt);
      Workflow.await(Duration.ofMillis(Math.max(1, left)), () -> finished);
    } else {
      Workflow.await(Duration.ofMillis(Math.max(1, rtoMillis)), () -> finished);
    }
    if (!finished) {
      rtoStatus = LifeboatSearchAttributes.RTO_BREACHED;
      Workflow.upsertTypedSearchAttributes(RTO_STATUS.valueSet(rtoStatus));
      log.warn("recovery of server {} has used its RTO of {} min and is still in step {}",
          target.name(), request.rtoMinutes(), steps.current());
    }
  }

  private <T> T step(String name, Supplier<T> body) {
    return steps.run(name, body);
  }

  private long humanMillis() {
    return steps.steps().stream().mapToLong(StepTiming::humanWaitMillis).sum();
  }

  private long machineMillis(long now) {
    return (now - startedAt) - humanMillis();
  }

  private void timeFacts(long now) {
    facts.put("Machine time", seconds(machineMillis(now)));
    facts.put("Waiting for people", seconds(humanMillis()));
  }

  private static String seconds(long millis) {
    return (millis / 1000) + " s";
  }

  // ------------------------------------------------------------------------------------------
  // report and stubs

  private RunReport report(String outcome, long finishedAt) {
    return new RunReport(Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId(),
        REPORT_KIND, target.name(), request.estate(), startedAt, finishedAt, outcome, rtoMillis,
        steps.steps(), facts, notes);
  }

  private String storeReport(RunReport report) {
    ReportActivities reports = Workflow.newActivityStub(ReportActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
                .setDoNotRetry(FailureKind.nonRetryableTypes()).build())
            .build());
    try {
      return reports.storeReport(
          new ReportActivities.StoreReportRequest(request.repository(), report)).jsonKey();
    } catch (ActivityFailure e) {
      log.warn("could not store the server recovery report: {}", message(e));
      return null;
    }
  }

  private String lastStep() {
    List<StepTiming> done = steps.steps();
    return done.isEmpty() ? "start" : done.get(done.size() - 1).step();
  }

  static String message(Throwable e) {
    Throwable t = e;
    while ((t instanceof ActivityFailure || t instanceof ChildWorkflowFailure) && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(t);
  }

  private static RetryOptions retries(RetryConfig retry) {
    return ActivityStubs.retries(retry);
  }

  private static ServerRecoveryActivities server(RetryConfig retry, Duration startToClose,
      Duration heartbeat) {
    ActivityOptions.Builder o = ActivityOptions.newBuilder().setStartToCloseTimeout(startToClose)
        .setRetryOptions(retries(retry));
    if (heartbeat != null) o.setHeartbeatTimeout(heartbeat);
    return Workflow.newActivityStub(ServerRecoveryActivities.class, o.build());
  }

  /** The rollback's activities heartbeat through pm2 and npm: same options as there. */
  private static RollbackActivities release(RetryConfig retry) {
    return Workflow.newActivityStub(RollbackActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(retries(retry))
        .build());
  }
}
