package io.lifeboat.run;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** Custom search attributes; `lifeboat up` registers exactly these on the dev server. */
public final class LifeboatSearchAttributes {
  public static final SearchAttributeKey<String> DATABASE =
      SearchAttributeKey.forKeyword("LifeboatDatabase");
  public static final SearchAttributeKey<String> KIND = SearchAttributeKey.forKeyword("LifeboatKind");
  public static final SearchAttributeKey<String> OUTCOME =
      SearchAttributeKey.forKeyword("LifeboatOutcome");
  public static final SearchAttributeKey<String> RTO_STATUS =
      SearchAttributeKey.forKeyword("LifeboatRtoStatus");
  public static final SearchAttributeKey<String> WAITING_STEP =
      SearchAttributeKey.forKeyword("LifeboatWaitingStep");

  public static final List<SearchAttributeKey<String>> ALL =
      List.of(DATABASE, KIND, OUTCOME, RTO_STATUS, WAITING_STEP);

  public static final String KIND_DB_FULL = "db-full";
  /** The daily verification and the repository check (issue #7). */
  public static final String KIND_VERIFY = "verify";
  public static final String KIND_CHECK = "check";
  public static final String KIND_APP = "app";
  public static final String KIND_CONFIG = "config";
  /** A file tree through an engine such as restic (issue 20). */
  public static final String KIND_FILES = "files";
  /** A job of an existing Bacula Director run through bconsole (issue 20); its reports folder. */
  public static final String KIND_BACULA = "bacula";
  /** Redis, MariaDB and OpenSearch backups (issue 19): the kind of their runs and checks. */
  public static final String KIND_REDIS = "redis";
  public static final String KIND_MARIADB = "mariadb";
  public static final String KIND_OPENSEARCH = "opensearch";
  public static final String KIND_APP_ROLLBACK = "application-rollback";
  public static final String RTO_AT_RISK = "at-risk";
  public static final String RTO_BREACHED = "breached";
  public static final String KIND_DB_RECOVERY = "db-recovery";
  /** A whole server recovered onto a target (recover server). */
  public static final String KIND_SERVER_RECOVERY = "server-recovery";
  public static final String RTO_ON_TRACK = "on-track";
  public static final String RTO_MET = "met";
  /** Physical base backups (pg_basebackup), the starting point of point-in-time recovery. */
  public static final String KIND_DB_BASE = "db-base";
  /** The 6-hourly WAL archive continuity and RPO check. */
  public static final String KIND_WAL_CHECK = "wal-check";
  /** DR drills (issue #6): also the reports folder, PREFIX/reports/drill/. */
  public static final String KIND_DRILL = "drill";
  public static final String OUTCOME_RUNNING = "running";
  public static final String OUTCOME_SUCCEEDED = "succeeded";
  public static final String OUTCOME_FAILED = "failed";

  private LifeboatSearchAttributes() {}
}
