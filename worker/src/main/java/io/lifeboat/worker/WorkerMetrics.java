package io.lifeboat.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.lifeboat.run.BackupMetrics;
import io.lifeboat.wal.WalMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.util.List;
import java.util.Set;

/**
 * The worker's metrics: one Prometheus registry that receives both the Temporal SDK's own
 * metrics and the workflows' backup metrics ({@code Workflow.getMetricsScope()}), through the
 * tally scope given to the Temporal connection.
 */
public final class WorkerMetrics implements AutoCloseable {
  /** The SDK's value for a tag that does not apply (activity_type on a workflow metric...). */
  private static final String SDK_NO_VALUE = "none";
  private static final Set<String> OWN_TAGS =
      Set.of(BackupMetrics.TAG_DATABASE, BackupMetrics.TAG_KIND, BackupMetrics.TAG_OUTCOME,
          io.lifeboat.verify.VerificationMetrics.TAG_SOURCE,
          io.lifeboat.notify.Notifier.TAG_CHANNEL,
          io.lifeboat.notify.Notifier.TAG_EVENT);
  /** Every Lifeboat metric's # HELP line, from the classes that name them. */
  static final java.util.Map<String, String> HELP = help();

  private static java.util.Map<String, String> help() {
    java.util.Map<String, String> all = new java.util.HashMap<>(BackupMetrics.HELP);
    all.putAll(io.lifeboat.verify.VerificationMetrics.HELP);
    all.putAll(io.lifeboat.check.CheckMetrics.HELP);
    all.putAll(io.lifeboat.drill.DrillMetrics.HELP);
    all.putAll(io.lifeboat.notify.Notifier.HELP);
    all.putAll(WalMetrics.HELP);
    all.putAll(io.lifeboat.offsite.OffsiteMetrics.HELP);
    all.putAll(io.lifeboat.recover.server.ServerRecoveryMetrics.HELP);
    io.lifeboat.recover.db.RecoveryMetrics.HELP.forEach(all::putIfAbsent);
    all.putAll(io.lifeboat.run.RunNews.HELP);
    all.putAll(io.lifeboat.readiness.ReadinessMetrics.HELP);
    all.putAll(io.lifeboat.run.RunMetrics.HELP);
    return java.util.Map.copyOf(all);
  }

  private final PrometheusMeterRegistry registry;
  private final Scope scope;

  public WorkerMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.registry.config().meterFilter(lifeboatMeters());
    this.scope = new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
  }

  /**
   * The SDK tags every metric with the same keys, most of them {@code "none"} for a workflow's
   * own metrics; Lifeboat's metrics keep only the tags that say something (database, kind,
   * outcome, namespace, task_queue, workflow_type) and get a {@code # HELP} line.
   */
  private static MeterFilter lifeboatMeters() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("lifeboat_")) {
          return id;
        }
        List<Tag> kept = id.getTags().stream()
            .filter(t -> !SDK_NO_VALUE.equals(t.getValue()) || OWN_TAGS.contains(t.getKey()))
            .toList();
        return new Meter.Id(id.getName(), Tags.of(kept), id.getBaseUnit(),
            HELP.getOrDefault(id.getName(), id.getDescription()), id.getType());
      }
    };
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The scope to give Temporal: {@code WorkflowServiceStubsOptions.setMetricsScope}. */
  public Scope scope() {
    return scope;
  }

  /** Reports what is pending, then closes the registry. */
  @Override
  public void close() {
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      // Nothing is left to report to; the registry is closed below either way.
    }
    registry.close();
  }
}
