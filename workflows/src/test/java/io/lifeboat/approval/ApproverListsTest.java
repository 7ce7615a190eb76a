package io.lifeboat.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifeboat.config.ApprovalsConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 22: approvals: per step, then per workflow kind, then the workflow's own default. */
class ApproverListsTest {
  private static final ApprovalsConfig RULES = new ApprovalsConfig(
      Map.of("server-recovery", List.of("alice", "bob"), "drill", List.of("dora")),
      Map.of("dns", List.of("carol")));

  @Test
  void aStepsListWinsOverItsKindsList() {
    HumanGate gate = new HumanGate(null).rules("server-recovery", RULES);
    assertEquals(List.of("carol"), gate.allowedFor("dns"));
    assertEquals(List.of("alice", "bob"), gate.allowedFor("provision"));
  }

  @Test
  void theKindsListWinsOverTheGatesOwnApprovers() {
    HumanGate gate = new HumanGate(null).approvers(List.of("lead")).rules("drill", RULES);
    assertEquals(List.of("dora"), gate.allowedFor("approve-start"));
    assertEquals(List.of("lead"), new HumanGate(null).approvers(List.of("lead"))
        .rules("drill", ApprovalsConfig.NONE).allowedFor("approve-start"));
  }

  @Test
  void withoutAnyListAnyoneWhoNamesThemselfMayApprove() {
    assertEquals(List.of(), new HumanGate(null).rules("server-recovery", null)
        .allowedFor("provision"));
    assertEquals(List.of(), new HumanGate(null).rules("server-recovery", ApprovalsConfig.NONE)
        .allowedFor("dns"));
  }
}
