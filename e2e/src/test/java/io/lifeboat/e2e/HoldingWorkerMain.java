package io.lifeboat.e2e;

import io.lifeboat.config.ConfigLoader;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.worker.LifeboatWorker;
import io.lifeboat.worker.TemporalConnection;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.activity.ActivityExecutionContext;
import java.nio.file.Path;

/**
 * The real worker (every workflow and activity of LifeboatWorker) plus one fault hook: when
 * the activity named by --hold-after has done its work, it prints "FAULT-HOLD TYPE" and never
 * returns, so the test can SIGKILL the JVM exactly at that step boundary: the step's effects
 * are there, its completion never reaches Temporal, and the retry must cope (idempotency).
 * With --host NAME it is that host's agent instead (LifeboatWorker.agent on the host's queue,
 * the host-bound activities only), leaving the agent's record as `lifeboat agent` does.
 */
public final class HoldingWorkerMain {
  private HoldingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String config = null;
    String queue = null;
    String hold = "";
    String host = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--config" -> config = args[i + 1];
        case "--task-queue" -> queue = args[i + 1];
        case "--hold-after" -> hold = args[i + 1];
        case "--host" -> host = args[i + 1];
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    LifeboatConfig cfg = new ConfigLoader().load(Path.of(config));
    TemporalConnection temporal = TemporalConnection.open(cfg.temporal());
    String holdAfter = hold;
    var interceptor = new WorkerInterceptorBase() {
      @Override
      public ActivityInboundCallsInterceptor interceptActivity(
          ActivityInboundCallsInterceptor next) {
        return new Hold(next, holdAfter);
      }
    };
    if (host != null) {
      String hostQueue = io.lifeboat.host.TaskQueues.forHost(queue, host);
      LifeboatWorker.agent(temporal.client(), hostQueue, host, Secrets.fromEnvironment(),
          interceptor).start();
      io.lifeboat.worker.AgentMain.remember(hostQueue, host);
    } else {
      new LifeboatWorker(temporal.client(), queue, Secrets.fromEnvironment(), interceptor).start();
    }
    System.out.println("Worker started, holding after " + holdAfter);
    Thread.currentThread().join();
  }

  private static final class Hold extends ActivityInboundCallsInterceptorBase {
    private final String holdAfter;
    private ActivityExecutionContext ctx;

    Hold(ActivityInboundCallsInterceptor next, String holdAfter) {
      super(next);
      this.holdAfter = holdAfter;
    }

    @Override
    public void init(ActivityExecutionContext context) {
      ctx = context;
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      ActivityOutput out = super.execute(input);
      String type = ctx.getInfo().getActivityType();
      if (type.equals(holdAfter)) {
        System.out.println("FAULT-HOLD " + type + " attempt " + ctx.getInfo().getAttempt());
        System.out.flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return out;
    }
  }
}
