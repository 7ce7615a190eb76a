package io.lifeboat.drill;

import io.lifeboat.approval.Approval;
import io.lifeboat.run.StepTiming;
import io.lifeboat.run.RunReport;
import java.util.List;

/**
 * @param quarter 1..4 for the calendar the drill was planned by
 * @param criteria RTO met, data integrity, process adherence, documentation
 * @param reportKey the stored report's JSON key (null when it could not be stored)
 */
public record DrillResult(String kind, int quarter, List<String> scenarios, String outcome,
    List<ScenarioResult> results, List<Approval> approvals, List<RunReport.Criterion> criteria,
    List<StepTiming> steps, String reportKey) {}
