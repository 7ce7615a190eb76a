package io.lifeboat.recover.server;

import io.lifeboat.host.HostPlacement;
import io.lifeboat.run.ReportWriter;
import io.temporal.workflow.Workflow;

/**
 * The wait for the target host's agent right after the configure playbook (issue 17, Scenario
 * 2): the playbook installs and starts {@code lifeboat agent --host HOST} from the distribution
 * (servers[].agent), and nothing may run on the host before that agent polls its queue. The
 * wait is the one of every host-bound step ({@code LifeboatWaitingStep=agent:HOST}, a
 * notification), only earlier and inside the configure step, so a playbook that did not start
 * the agent shows there. Behind {@code Workflow.getVersion}: a run recorded before it waited at
 * its first host-bound call and replays so.
 */
final class ServerAgent {
  static final String CHANGE_ID = "await-agent-after-configure";

  private ServerAgent() {}

  /** The configure playbook, then the wait; the report gets the recap and the agents. */
  static String configure(ServerRecoveryActivities slow, HostPlacement placement,
      PlaybookRequest request, ReportWriter report) {
    String recap = slow.runPlaybook(request);
    String agents = await(placement);
    report.fact("Configuration", request.playbook() + ": " + recap);
    if (agents != null) report.fact("Agent", placement.host() + ": " + agents);
    return recap;
  }

  /** The identities of the host's agents once one polls; null on the one-machine estate. */
  static String await(HostPlacement placement) {
    if (placement.host() == null) return null;
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) return null;
    return placement.awaitAgent();
  }
}
