package io.lifeboat.backup.opensearch;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One OpenSearch backup: assess, snapshot, ship the files, restore them for proof, commit. */
@WorkflowInterface
public interface OpenSearchBackupWorkflow {

  /** The request a run by hand and the schedule both start, from the estate's config. */
  static OpenSearchBackupRequest request(io.lifeboat.config.LifeboatConfig c,
      io.lifeboat.config.OpenSearchConfig o) {
    return new OpenSearchBackupRequest(o, c.repository(), c.compression(),
        c.retention().fullDays(), c.retries(), c.retention().keep(),
        c.retention().keep() != null ? c.schedules().timezone() : null,
        io.lifeboat.notify.NotificationTarget.of(c));
  }

  @WorkflowMethod
  OpenSearchBackupResult backup(OpenSearchBackupRequest request);

  /** The current step. */
  @QueryMethod
  String step();
}
