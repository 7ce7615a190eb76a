package io.lifeboat.backup.dump;

import io.lifeboat.config.CompressionConfig;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.RetryConfig;
import io.lifeboat.run.LifeboatSearchAttributes;
import io.lifeboat.host.TaskQueues;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Instant;

/** Shared fixtures: an in-memory, time-skipping Temporal and a realistic backup request. */
final class BackupTestSupport {
  /** The seed's nightly 02:00 UTC run. */
  static final Instant START = Instant.parse("2026-11-21T02:00:00Z");

  static final String DB = "farmtally_production";
  static final String WORKFLOW_ID = "backup-" + DB + "-test";

  private BackupTestSupport() {}

  /** Test server whose clock starts at {@link #START}, knowing Lifeboat's search attributes. */
  static TestWorkflowEnvironment newEnvironment() {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder().setInitialTime(START);
    for (var key : LifeboatSearchAttributes.ALL) {
      options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return TestWorkflowEnvironment.newInstance(options.build());
  }

  static DatabaseConfig database() {
    return new DatabaseConfig(DB, "127.0.0.1", 55432, "lifeboat", "LIFEBOAT_PG_PASSWORD", null,
        null);
  }

  /** Prefix given with stray slashes, as an operator might, to see the layout normalise it. */
  static RepositoryConfig repository() {
    return new RepositoryConfig("http://127.0.0.1:9000", "farmtally-backups", "/nightly/", null,
        null, "LIFEBOAT_S3_ACCESS_KEY", "LIFEBOAT_S3_SECRET_KEY", "AES256", "STANDARD_IA", null,
        null, null);
  }

  static DatabaseBackupRequest request(RetryConfig retry) {
    return new DatabaseBackupRequest(database(), repository(), new CompressionConfig(7, null), 30,
        retry);
  }

  static WorkflowOptions workflowOptions() {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(WORKFLOW_ID)
        .setTaskQueue(TaskQueues.DEFAULT)
        .build();
  }
}
