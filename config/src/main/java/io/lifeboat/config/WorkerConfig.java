package io.lifeboat.config;

/**
 * How much one worker process takes on at once (issue 21). The main task queue carries the
 * workflows, the WAL shipper's and offsite steps, recoveries and every quick step; the bulk
 * queue ({@code <taskQueue>-bulk}, served by a second Worker in the same process) carries the
 * long streaming steps of dumps and verifications, so many of those at once never take the
 * slots a recovery or the WAL shipper needs.
 *
 * @param activitySlots activities at once on the main queue (4)
 * @param workflowTaskSlots workflow tasks at once (4)
 * @param bulkActivitySlots dump and verification streams at once on the bulk queue (2); each
 *     may use several cores (pg_dump, the compressor, the upload)
 * @param workflowCacheSize workflow executions kept in memory between their tasks (100)
 */
public record WorkerConfig(Integer activitySlots, Integer workflowTaskSlots,
    Integer bulkActivitySlots, Integer workflowCacheSize) {
  public static final WorkerConfig DEFAULT = new WorkerConfig(null, null, null, null);

  public WorkerConfig {
    activitySlots = activitySlots != null ? activitySlots : 4;
    workflowTaskSlots = workflowTaskSlots != null ? workflowTaskSlots : 4;
    bulkActivitySlots = bulkActivitySlots != null ? bulkActivitySlots : 2;
    workflowCacheSize = workflowCacheSize != null ? workflowCacheSize : 100;
  }
}
