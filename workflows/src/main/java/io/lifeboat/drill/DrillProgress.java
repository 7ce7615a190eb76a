package io.lifeboat.drill;

import io.lifeboat.approval.WaitingStep;
import java.util.List;

/**
 * What a running drill is doing, by query.
 *
 * @param childWorkflowId the server recovery the full-system scenario runs now (its human steps,
 *     provision and dns, are approved against this id), or null
 */
public record DrillProgress(String kind, int quarter, List<String> scenarios, String step,
    List<WaitingStep> waiting, int approvals, String childWorkflowId) {}
