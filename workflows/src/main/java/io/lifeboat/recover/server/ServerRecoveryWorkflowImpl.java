package io.lifeboat.recover.server;

import static io.lifeboat.recover.server.ServerRecoveryRequest.STEPS;
import static io.lifeboat.run.LifeboatSearchAttributes.KIND_SERVER_RECOVERY;

import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.approval.WaitingStep;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureMessage;
import io.lifeboat.host.HostPlacement;
import io.lifeboat.rollback.RollbackActivities;
import io.lifeboat.run.ReportWriter;
import io.lifeboat.run.RtoClock;
import io.lifeboat.run.RunOutcome;
import io.lifeboat.run.RunNews;
import io.lifeboat.run.RunReport;
import io.lifeboat.run.StepRecorder;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * Provision, configure, recover the database (a child), install the newest release, start the
 * services, point DNS, issue the certificate, check health over HTTPS; people approve the steps
 * no tool does here. Timed against the RTO, machine time apart from the time people took.
 */
public class ServerRecoveryWorkflowImpl implements ServerRecoveryWorkflow {
  public static final String REPORT_KIND = "server-recovery";

  private final StepRecorder steps = new StepRecorder();
  private final HumanGate gate = new HumanGate(steps);
  private ServerTargetConfig target;
  private RtoClock rto;
  private ReportWriter report;
  private RunNews news;

  @Override
  public ServerRecoveryResult recover(ServerRecoveryRequest req) {
    target = req.target();
    rto = RtoClock.start(req.rtoMinutes());
    report = new ReportWriter(REPORT_KIND, target.name(), req.estate(), req.repository())
        .offsite(req.reportsOffsite());
    gate.notifying(req.notifications(), "recovery of server " + target.name())
        .rules(KIND_SERVER_RECOVERY, req.approvals());
    RunOutcome.running(KIND_SERVER_RECOVERY, req.database().name(), rto);
    rto.watch("recovery of server " + target.name(), steps::current,
        () -> ServerRecoveryMetrics.atRisk(Workflow.getMetricsScope(), target.name(), true));
    report.fact("Target", target.name() + " (" + target.root() + ")");
    news = RunNews.start(req.notifications(), KIND_SERVER_RECOVERY, target.name(), "recovery of"
        + " server " + target.name(), rto, steps, report, () -> STEPS, req.previousStepMillis());

    if (target.host() != null) report.fact("Host", target.host());
    HostPlacement placement = new HostPlacement(target.host(), req.retry(), steps)
        .notifying(req.notifications());
    ServerStubs stubs = ServerStubs.of(placement);
    ServerRecoveryActivities quick = stubs.quick();
    ServerRecoveryActivities slow = stubs.slow();
    RollbackActivities release = stubs.release();
    try {
      // 1. Provision: a playbook when configured, else a person builds the host and says where.
      if (target.provisionPlaybook() != null) {
        String recap = steps.run("provision", () -> slow.runPlaybook(
            TargetEstate.playbook(target, req, target.provisionPlaybook(), null)));
        report.fact("Provisioned by", target.provisionPlaybook() + ": " + recap);
      } else {
        Approval a = ServerApprovals.provisioned(gate, target);
        target = target.at(a.value().strip());
        report.fact("Provisioned by", a.by() + (a.reason() == null ? "" : ": " + a.reason()));
      }
      report.fact("Address", target.address());

      // 2. System configuration (nginx, app runtime, PM2 ecosystem, the agent); the agent's wait.
      steps.run("configure", () -> ServerAgent.configure(slow, placement,
          TargetEstate.playbook(target, req, target.playbook(), null), report));

      // 3 and 4. The databases and applications, in the order of their priority (issue 17):
      // each database's recovery as a child, each application's release staged, npm ci, swap.
      new TargetRestore(req, target, steps, report, rto, quick, release).restore();

      // 5. Services: every application under PM2 from its ecosystem file, by priority, pm2 save,
      // each one's health; nginx -t, then start or reload.
      report.fact("Services", steps.run("services", () -> TargetServices.start(req, target,
          quick, release)));

      // 6. DNS: a person changes the record (default), or an RFC 2136 update.
      if (ServerTargetConfig.DnsConfig.RFC2136.equals(target.dns().provider())) {
        report.fact("DNS", steps.run("dns", () -> quick.updateDns(target)));
      } else {
        Approval a = ServerApprovals.dnsChanged(gate, target);
        report.fact("DNS", target.domain() + " → " + target.address() + ", changed by " + a.by());
      }

      // 7. TLS: certbot against the ACME directory, then nginx serves HTTPS with it.
      report.fact("Certificate", steps.run("tls", () -> {
        String issued = slow.issueCertificate(target);
        slow.runPlaybook(TargetEstate.playbook(target, req, target.playbook(), "tls"));
        quick.startNginx(target);
        return issued;
      }));

      // 8. Health: through nginx over HTTPS, with data the restored database holds.
      HttpsCheck health = steps.run("health", () -> quick.checkHttps(new HttpsCheckRequest(target,
          TargetEstate.healthPath(req.application()), "/api/stats")));
      report.fact("Health", String.join("; ", health.checks()));
      if (health.data() != null) report.fact("Data served", health.data());

      steps.finish("done");
      RunOutcome.succeeded(rto);
      ServerRecoveryMetrics.finished(target.name(), req, steps, rto, report, rto.met());
      news.finished("serving " + target.url());
      RunReport done = report.report(RunReport.SUCCEEDED, rto, steps.steps());
      return new ServerRecoveryResult(target.name(), target.address(), target.url(),
          rto.status(), rto.elapsedMillis() - steps.humanWaitMillis(), steps.humanWaitMillis(),
          steps.steps(), health, done, report.store(done));
    } catch (ActivityFailure | ApplicationFailure | ChildWorkflowFailure | CanceledFailure e) {
      steps.finish(e instanceof CanceledFailure ? "cancelled" : "failed");
      rto.stop();
      // The new server is left as it is for inspection: nothing on it served anyone yet, and
      // a second run converges on it (every step is idempotent).
      report.note("failed in step " + steps.last() + ": " + FailureMessage.of(e));
      report.note("the target was left as it is; fix the cause and run `lifeboat recover server"
          + " --target " + target.name() + "` again: the steps done are redone idempotently");
      Workflow.newDetachedCancellationScope(() -> {
        RunOutcome.failed(rto);
        ServerRecoveryMetrics.finished(target.name(), req, steps, rto, report, false);
        news.failed(FailureMessage.of(e));
        report.store(report.report(RunReport.FAILED, rto, steps.steps()));
      }).run();
      throw e;
    }
  }

  @Override
  public Approval approve(ApprovalRequest r) {
    validateApprove(r);
    return gate.approve(r);
  }

  /** The gate's rules, plus the address a provisioning approval must carry. */
  @Override
  public void validateApprove(ApprovalRequest r) {
    gate.validate(r);
    ServerApprovals.validate(r, target);
  }

  @Override
  public List<WaitingStep> waitingSteps() { return gate.waitingSteps(); }

  @Override
  public List<Approval> approvals() { return gate.approvals(); }

  @Override
  public ServerRecoveryProgress progress() {
    return new ServerRecoveryProgress(target.name(), target.address(), steps.current(),
        rto.elapsedMillis(), steps.humanWaitMillis(), rto.rtoMillis(), rto.status(),
        steps.steps(), gate.waitingSteps(), RunNews.projection(news));
  }
}
