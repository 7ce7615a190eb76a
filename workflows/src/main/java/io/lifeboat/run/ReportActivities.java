package io.lifeboat.run;

import io.lifeboat.config.RepositoryConfig;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stores run reports in the repository, beside the backups they are about. */
@ActivityInterface
public interface ReportActivities {

  /**
   * Writes {@code report.json}, {@code report.md} and {@code report.html} under
   * {@code PREFIX/reports/KIND/WORKFLOW_ID/STARTED/}. Idempotent: a retry overwrites the same
   * keys with the same content.
   */
  @ActivityMethod
  StoredReport storeReport(StoreReportRequest request);

  record StoreReportRequest(RepositoryConfig repository, RunReport report) {}

  record StoredReport(String jsonKey, String markdownKey, String htmlKey) {}
}
