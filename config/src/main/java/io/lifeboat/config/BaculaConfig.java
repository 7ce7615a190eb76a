package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A job of an existing Bacula Director that Lifeboat runs and tracks through bconsole
 * ({@code bacula:}, issue 20). Bacula keeps its own catalog and volumes; Lifeboat starts the
 * job, waits for it, records its result, bytes and timings, and restores it into a scratch
 * directory to compare with the source tree.
 *
 * @param name the source's name in Lifeboat (letters, digits, _ . -)
 * @param bconsoleConfig absolute path of the bconsole.conf that reaches the Director
 * @param job the Director's backup Job resource ({@code run job=NAME yes})
 * @param client the Client resource restores run on ({@code restore ... client=C})
 * @param restoreWhere absolute scratch directory on the client for the restore-and-compare
 *     check; null: no restore check
 * @param comparePath the tree the restore is compared with (a path the job backs up, on the
 *     host where Lifeboat's activity runs); null: the restore is only counted, not compared
 * @param host the host whose agent runs bconsole; null: the control worker
 */
public record BaculaConfig(
    @JsonProperty(required = true) String name,
    String bconsoleConfig,
    String job,
    String client,
    String restoreWhere,
    String comparePath,
    String host) {}
