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

  /**
   * @param offsite when set, the report is also copied to this offsite bucket as soon as it is
   *     stored (best effort: a failed copy is returned in {@link StoredReport#offsiteProblem},
   *     never thrown, and the next {@code offsite sync} copies it, reports/ being in its scope)
   */
  record StoreReportRequest(RepositoryConfig repository, RunReport report,
      io.lifeboat.config.OffsiteConfig offsite) {
    /** Without the offsite copy: the shape before it. */
    public StoreReportRequest(RepositoryConfig repository, RunReport report) {
      this(repository, report, null);
    }
  }

  /**
   * @param copiedOffsite the report's objects are in the offsite bucket
   * @param offsiteProblem why the offsite copy failed; null when it succeeded or none was asked
   */
  record StoredReport(String jsonKey, String markdownKey, String htmlKey, boolean copiedOffsite,
      String offsiteProblem) {
    /** Without the offsite copy: the shape before it. */
    public StoredReport(String jsonKey, String markdownKey, String htmlKey) {
      this(jsonKey, markdownKey, htmlKey, false, null);
    }
  }
}
