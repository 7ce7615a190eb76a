package io.lifeboat.recover.server;

import io.lifeboat.approval.Approval;
import io.lifeboat.approval.ApprovalRequest;
import io.lifeboat.approval.HumanGate;
import io.lifeboat.config.ServerTargetConfig;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The human steps of a server recovery: what a person is asked (reminded every
 * {@link #REMIND_EVERY}), and what their approval must carry beyond the gate's rules.
 */
final class ServerApprovals {
  static final Duration REMIND_EVERY = Duration.ofMinutes(15);
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");

  private ServerApprovals() {}

  /**
   * Provisioning is approved with the new server's address; a DNS approval that names an
   * address must name the one the server is at. Throws to reject the update (the validator).
   */
  static void validate(ApprovalRequest r, ServerTargetConfig target) {
    String value = r.value() == null ? null : r.value().strip();
    if (ServerRecoveryWorkflow.STEP_PROVISION.equals(r.step()) && !isAddress(value)) {
      throw new IllegalArgumentException("provision needs the new server's IP address"
          + " (--value 203.0.113.10), not '" + value + "'");
    }
    if (ServerRecoveryWorkflow.STEP_DNS.equals(r.step()) && value != null && !value.isEmpty()
        && !value.equals(target.address())) {
      throw new IllegalArgumentException("the new server is at " + target.address() + ", not "
          + value + "; point " + target.domain() + " there and approve again");
    }
  }

  static boolean isAddress(String s) {
    return s != null
        && (IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches()));
  }

  /** A person provisions the new server and approves with its address. */
  static Approval provisioned(HumanGate gate, ServerTargetConfig target) {
    return gate.awaitValue(ServerRecoveryWorkflow.STEP_PROVISION, "provision the new server for target " + target.name() + " (directory root "
        + target.root() + ") and approve with its address: --value ADDRESS"
        + (target.address() == null ? "" : " (the config says " + target.address() + ")"),
        REMIND_EVERY);
  }

  /** A person points the domain at the new server (the DNS provider is not automated). */
  static Approval dnsChanged(HumanGate gate, ServerTargetConfig target) {
    return gate.await(ServerRecoveryWorkflow.STEP_DNS, "point " + target.domain() + " (A record) at " + target.address()
        + ", wait for it to resolve, then approve (--value " + target.address()
        + " to confirm the address)", REMIND_EVERY);
  }
}
