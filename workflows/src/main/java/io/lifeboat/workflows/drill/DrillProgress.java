package io.lifeboat.workflows.drill;

import io.lifeboat.workflows.approval.WaitingStep;
import java.util.List;

/** What a running drill is doing, by query. */
public record DrillProgress(String kind, int quarter, List<String> scenarios, String step,
    List<WaitingStep> waiting, int approvals) {}
