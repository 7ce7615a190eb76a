package io.lifeboat.readiness;

import static io.lifeboat.run.LifeboatSearchAttributes.KIND;
import static io.lifeboat.run.LifeboatSearchAttributes.OUTCOME;

import io.lifeboat.config.RepositoryChoice;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.host.AgentActivities;
import io.lifeboat.host.TaskQueues;
import io.lifeboat.notify.Notification;
import io.lifeboat.notify.Notifier;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class ReadinessWorkflowImpl implements ReadinessWorkflow {
  /** Notification event of a path that changed between ok and problem. */
  public static final String EVENT = "readiness-changed";

  private final Map<String, List<String>> pollers = new HashMap<>();

  @Override
  public ReadinessReport check(ReadinessRequest req) {
    Workflow.upsertTypedSearchAttributes(KIND.valueSet(ReadinessWorkflow.SEARCH_KIND),
        OUTCOME.valueSet(LifeboatSearchAttributes.OUTCOME_RUNNING));
    long now = Workflow.currentTimeMillis();
    ReadinessActivities acts = Workflow.newActivityStub(ReadinessActivities.class,
        options(Duration.ofMinutes(10), req));
    AgentActivities agents = Workflow.newActivityStub(AgentActivities.class,
        options(Duration.ofMinutes(1), req));
    List<ReadinessFinding> findings = new ArrayList<>();
    List<String> names = req.databases().stream().map(ReadinessRequest.DatabasePath::name)
        .toList();
    for (ReadinessRequest.DatabasePath db : req.databases()) {
      if (db.host() != null) findings.add(agent(agents, req, "db/" + db.name(), db.host()));
    }
    findings.addAll(repository(acts, new RepositoryProbe(RepositoryChoice.PRIMARY, req.primary(),
        names, req.wal(), null, req.rpoMinutes(), req.readiness().sampleBytes(), now)));
    if (req.offsite() != null) {
      findings.addAll(repository(acts, new RepositoryProbe(RepositoryChoice.OFFSITE,
          req.offsite(), names, req.wal(), req.primary(), req.rpoMinutes(),
          req.readiness().sampleBytes(), now)));
    }
    for (ServerTargetConfig t : req.targets()) {
      String path = "server/" + t.name();
      if (t.host() != null) findings.add(agent(agents, req, path, t.host()));
      try {
        findings.addAll(acts.checkTarget(new TargetProbe(t, req.readiness().resolver())));
      } catch (ActivityFailure e) {
        findings.add(ReadinessFinding.problem(path, ReadinessFinding.DNS,
            "the target check failed: " + message(e)));
      }
    }
    ReadinessReport report;
    try {
      report = acts.remember(new RememberRequest(req.estate(), req.primary(), now, findings));
    } catch (ActivityFailure e) {
      // The primary does not answer: the findings say so; without the last run there is no
      // change to tell, so every problem is news.
      report = new ReadinessReport(req.estate(), now, findings,
          findings.stream().filter(f -> !f.ok()).toList(), 0);
    }
    ReadinessMetrics.record(Workflow.getMetricsScope(), report);
    if (!report.changed().isEmpty()) Notifier.send(req.notifications(), notification(req, report));
    Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(report.ready()
        ? LifeboatSearchAttributes.OUTCOME_SUCCEEDED : LifeboatSearchAttributes.OUTCOME_FAILED));
    return report;
  }

  private static List<ReadinessFinding> repository(ReadinessActivities acts, RepositoryProbe p) {
    try {
      return acts.checkRepository(p);
    } catch (ActivityFailure e) {
      List<ReadinessFinding> out = new ArrayList<>();
      for (String db : p.databases()) {
        out.add(ReadinessFinding.problem("db/" + db + "/" + p.name(), ReadinessFinding.WAL,
            "the " + p.name() + " repository could not be checked: " + message(e)));
      }
      return out;
    }
  }

  /** One DescribeTaskQueue per host and run, however many paths the host serves. */
  private ReadinessFinding agent(AgentActivities agents, ReadinessRequest req, String path,
      String host) {
    String queue = TaskQueues.forHost(req.mainQueue(), host);
    List<String> found = pollers.get(host);
    if (found == null) {
      try {
        found = agents.activityPollers(queue);
      } catch (ActivityFailure e) {
        return ReadinessFinding.problem(path, ReadinessFinding.AGENT,
            "Temporal could not say who polls " + queue + ": " + message(e));
      }
      pollers.put(host, found);
    }
    if (found.isEmpty()) {
      return ReadinessFinding.problem(path, ReadinessFinding.AGENT, "no agent polls " + queue
          + ": start `lifeboat agent --host " + host + "` on " + host);
    }
    return ReadinessFinding.ok(path, ReadinessFinding.AGENT,
        String.join(", ", found) + " polls " + queue);
  }

  private static ActivityOptions options(Duration timeout, ReadinessRequest req) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(timeout)
        .setRetryOptions(RetryOptions.newBuilder()
            .setMaximumAttempts(Math.min(3, req.retry().maxAttempts()))
            .setInitialInterval(Duration.ofSeconds(req.retry().initialIntervalSeconds()))
            .setMaximumInterval(Duration.ofSeconds(req.retry().maxIntervalSeconds()))
            .setDoNotRetry(FailureKind.nonRetryableTypes())
            .build())
        .build();
  }

  private static String message(ActivityFailure e) {
    Throwable c = e.getCause() != null ? e.getCause() : e;
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }

  private static Notification notification(ReadinessRequest req, ReadinessReport report) {
    String link = req.notifications().link(Workflow.getInfo().getWorkflowId());
    Map<String, String> details = new LinkedHashMap<>();
    int broken = 0;
    for (ReadinessFinding f : report.changed()) {
      details.put(f.key(), (f.ok() ? "ok again: " : "PROBLEM: ") + f.detail());
      if (!f.ok()) broken++;
    }
    String subject = broken > 0
        ? "recovery readiness of " + req.estate() + ": " + broken + " path check(s) failing"
        : "recovery readiness of " + req.estate() + ": " + report.changed().size()
            + " path check(s) ok again";
    String text = report.ready() ? "every recovery path is ready"
        : report.problems().size() + " problem(s) in all; `lifeboat readiness` lists them";
    return new Notification(EVENT, subject, text, details, link);
  }
}
