package io.lifeboat.failure;

import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;

/**
 * Every failure Lifeboat raises, with its retry meaning, in one place. Activities throw
 * {@link #failure}; workflows list {@link #nonRetryableTypes()} in their retry options, so a
 * retry is never spent on something only a person can fix.
 */
public enum FailureKind {
  UNKNOWN_DATABASE(false, "check the database name in the config and on the server"),
  PG_AUTH_FAILED(false, "check the user and the password variable named in the config"),
  PG_UNAVAILABLE(true, "is PostgreSQL running and reachable from the worker?"),
  PG_TOOL_FAILED(true, "see the tool's message; the worker log has the full stderr"),
  S3_ACCESS_DENIED(false, "check the credentials the repository's accessKeyEnv/secretKeyEnv name"),
  S3_NO_SUCH_BUCKET(false, "create the bucket or fix repository.bucket"),
  S3_UNAVAILABLE(true, "is the S3 endpoint reachable from the worker?"),
  BACKUP_CORRUPT(false, "the stored object does not match its checksum; use an older backup"),
  BACKUP_NOT_FOUND(false, "list what exists with `lifeboat backups list`"),
  // A committed backup is never overwritten: a second run with the same id is refused at commit
  // (ids are unique since 2026-11-22; this catches what would have been silent data loss).
  BACKUP_ID_TAKEN(false, "another backup was already committed under this id and was left as it"
      + " is; start the backup again (it gets a new id)"),
  LOCAL_IO(true, "check free space and permissions of the local copy directory"),
  CONFIG_INVALID(false, "fix the config file"),
  // Verification, checks and notifications (issue #7).
  RESTORE_TEST_FAILED(false, "the dump does not restore cleanly into a scratch database; take a"
      + " new backup and keep the previous good one"),
  VALIDATION_FAILED(false, "a validation query on the restored copy gave less than its minimum;"
      + " check the source data and the query in the config"),
  SCRATCH_NAME_TAKEN(false, "the scratch database name would be a configured database; rename it"),
  NOTIFY_FAILED(true, "is the webhook or SMTP server reachable from the worker?"),
  NOTIFY_MISCONFIGURED(false, "check notifications in the config and the variables it names"),
  APP_UNKNOWN(false, "check the application name against 'applications' in the config"),
  APP_RELEASE_MISSING(false, "check the application's releaseRoot: it needs current/ (and previous/ to roll back)"),
  APP_SOURCE_MISSING(false, "a file the configuration backup lists does not exist; fix the list"),
  ARCHIVE_TRAVERSAL(false, "the archive tries to write outside its directory; it was refused, use another backup"),
  ARCHIVE_CORRUPT(false, "the archive does not match its manifest; use the previous good backup"),
  PM2_FAILED(true, "see pm2's message; check PM2_HOME and that the pm2 daemon can start"),
  NPM_FAILED(true, "npm ci --omit=dev failed; check package-lock.json and the npm registry"),
  APP_UNHEALTHY(false, "the app does not answer its health URL; see pm2 logs for the process"),
  RECOVERY_TARGET_INVALID(false,
      "pick a target between the oldest base backup and the newest archived WAL"),
  RECOVERY_FAILED(false, "the damaged data was not touched; see the worker log and the report"),
  VERIFICATION_FAILED(false, "the recovered copy failed a validation query; it was not swapped in"),
  CLUSTER_CONTROL_FAILED(true, "pg_ctl failed; check the cluster's log and the OS user in the config"),
  APPLICATION_FAILED(true, "check the application's process manager (pm2) and its health URL"),
  WAL_CONFLICT(false, "a different file is already archived under this name: two clusters share"
      + " one archive, or the cluster was re-created; give it its own database entry"),
  WAL_NOT_FOUND(false, "the segment is not in the archive; list it with `lifeboat wal list NAME`"),
  WAL_BAD_NAME(false, "archive_command passes %p %f, restore_command %f %p"),
  WAL_GAP(false, "segments are missing from the archive: take a new base backup now"
      + " (`lifeboat backup base NAME`) and check archive_command in the server log"),
  BASE_VERIFY_FAILED(false, "pg_verifybackup rejected the base backup; it was not committed"),
  // Offsite copy (issue #8): never fails the primary backup; the next run copies what is missing.
  OFFSITE_UNAVAILABLE(true, "is the offsite endpoint reachable, and do the offsite.accessKeyEnv/"
      + "secretKeyEnv credentials work? `lifeboat offsite sync` copies what is missing"),
  OFFSITE_REFUSED(false, "the offsite endpoint refused the credentials or has no such bucket;"
      + " check offsite.bucket and the variables offsite.accessKeyEnv/secretKeyEnv name"),
  OFFSITE_LOCKED(false, "the copy is under S3 Object Lock until the date given; the server"
      + " refuses to delete it before then, and the offsite retention removes it afterwards"),
  OFFSITE_VERIFY_FAILED(false, "an offsite copy read back differs from what was sent; it was"
      + " removed (hidden behind a delete marker where Object Lock keeps it) and the next"
      + " `lifeboat offsite sync` copies it again"),
  ARCHIVING_OFF(false, "set archive_mode = on and archive_command = 'lifeboat wal-push"
      + " --database NAME %p %f', then restart PostgreSQL"),
  // DR drills (issue #6).
  DRILL_TARGET_IS_PRODUCTION(false, "aim the drill at an isolated target: drills.scratchDatabase,"
      + " appDir, appPm2Name, appPort in the config, or drill start --scratch-database, --app-dir,"
      + " --app-name, --app-port"),
  DRILL_SCENARIO_UNAVAILABLE(false, "the scenario cannot run here (full-system needs a"
      + " non-production target in servers:, drills.serverTarget); fix the config or pick another"
      + " with drill start --scenario"),
  DRILL_FAILED(false, "a scenario failed or a criterion was not met; see lifeboat report WORKFLOW_ID"),
  // Server recovery (issue #6).
  ANSIBLE_FAILED(true, "see the failed task in the message; run the playbook by hand with -vv"
      + " against the target's inventory"),
  NGINX_CONFIG_INVALID(false, "nginx -t rejected the configuration the playbook wrote; fix the"
      + " template and run the recovery again"),
  NGINX_FAILED(true, "nginx could not start or reload; see ROOT/nginx/logs/error.log on the target"),
  CERTBOT_FAILED(true, "certbot could not get a certificate: does the domain resolve to the new"
      + " server and does its nginx answer HTTP-01 on the port the CA checks?"),
  DNS_UPDATE_FAILED(true, "nsupdate was refused: check servers[].dns (server, zone, key file)"),
  HTTPS_UNHEALTHY(true, "the app does not answer over HTTPS through nginx; check the certificate,"
      + " nginx's error log and pm2 logs on the target"),
  // Encryption at rest (issue #8).
  // Before rotation, a key other than the configured one; now reported as ENCRYPTION_KEY_MISSING
  // (a keyset holds several keys). Kept so failures recorded in older histories still map.
  ENCRYPTION_KEY_MISMATCH(false, "the object was written with another repository key: point"
      + " repository.encryption at the keyset that wrote it (its id is in the manifest)"),
  // Issue #8, rotation: also when a key is configured but the object's key (by the id in its
  // header or manifest) is in none of the keyset's generations, e.g. one retired too early.
  ENCRYPTION_KEY_MISSING(false, "`lifeboat keys list` shows the loaded keys and which backups"
      + " need one that is missing"),
  // Fault suite (issue #8): a full local disk is not retried. It rarely frees itself within a
  // retry window, and every retry re-runs pg_dump against the live database for nothing.
  DISK_FULL(false, "the local directory named in the message is full: free space there or point"
      + " repository.localCopyDir elsewhere; nothing was committed, earlier backups are intact"),
  // Redis as a source (issue 19).
  REDIS_UNAVAILABLE(true, "is redis-server running and reachable from the worker at the"
      + " redis[].address and port of the config?"),
  REDIS_AUTH_FAILED(false, "check the password variable redis[].passwordEnv names (and that the"
      + " user may replicate: redis-cli --rdb needs it)"),
  REDIS_TOOL_FAILED(true, "redis-cli, redis-server or redis-check-rdb failed; see the message and"
      + " the worker log"),
  // OpenSearch / Elasticsearch as a source (issue 19).
  OPENSEARCH_UNAVAILABLE(true, "is the node running and its REST API reachable at"
      + " opensearch[].url from the worker (and from the agent of opensearch[].host)?"),
  OPENSEARCH_AUTH_FAILED(false, "check the user and password variables opensearch[].usernameEnv"
      + " and passwordEnv name, and that the user may manage snapshots"),
  OPENSEARCH_REFUSED(false, "the node refused the request; the message has its error (is"
      + " snapshotDir under the node's path.repo? does the user have the privileges?)"),
  // MariaDB/MySQL as a source (issue 19).
  MARIADB_UNAVAILABLE(true, "is mariadbd running and reachable from the worker at the"
      + " mariadb[].address and port of the config?"),
  MARIADB_AUTH_FAILED(false, "check mariadb[].user and the password variable mariadb[].passwordEnv"
      + " names (and the user's privileges: see docs/operator/mariadb.md)"),
  MARIADB_TOOL_FAILED(true, "mariadb, mariadb-dump or the scratch mariadbd failed; see the message"
      + " and the worker log"),
  // File trees with restic (issue 20).
  RESTIC_FAILED(true, "restic failed; the message has the tail of its stderr (is restic installed,"
      + " the object store reachable, the repository unlocked?)"),
  FILES_PATH_MISSING(false, "a path of the files source does not exist on its host; fix files[].paths"),
  FILES_CHECK_FAILED(false, "the engine's check found damage in the files repository: nothing was"
      + " pruned; run `restic check --read-data` (borg: `borg check --verify-data`) by hand, then"
      + " repair it or start a new repository (rsync: a new generation is a full copy again)"),
  FILES_RESTORE_DIFFERS(false, "the restored tree differs from the snapshot; see the listed paths"),
  FILES_ENGINE_FAILED(true, "borg, rsync or duplicity failed; the message has the tail of its"
      + " stderr (is it installed, the repository path writable, the repository locked by another run?)"),
  // A borg repository or rsync mirror on another host (files[].repositoryHost), over ssh.
  FILES_REPOSITORY_UNREACHABLE(true, "ssh could not reach files[].repositoryHost (connection"
      + " refused, timed out, no route): is the host up, sshd running, its address in hosts:"
      + " right? The run retries; then start it again"),
  FILES_REPOSITORY_SSH_REFUSED(false, "ssh reached files[].repositoryHost but would not log in:"
      + " its host key is not in the agent user's known_hosts (or changed), or the key is not"
      + " authorized there; fix it by hand (ssh -o BatchMode=yes USER@ADDRESS true from the"
      + " source's host), Lifeboat never accepts a host key itself"),
  // Jobs of an existing Bacula Director (issue 20).
  BACULA_UNAVAILABLE(true, "bconsole could not reach the Director or run the command; is"
      + " bacula-dir running, and do bacula[].bconsoleConfig's address, port and password match it?"),
  BACULA_JOB_FAILED(false, "Bacula ended the job with an error: the message has its JobStatus and"
      + " first error; `bconsole` then `list joblog jobid=N` shows the whole log");

  private final boolean retryable;
  private final String hint;

  FailureKind(boolean retryable, String hint) {
    this.retryable = retryable;
    this.hint = hint;
  }

  public boolean retryable() {
    return retryable;
  }

  public String hint() {
    return hint;
  }

  /** The Temporal failure type string; stable, since histories and alerts refer to it. */
  public String type() {
    return "Lifeboat." + name();
  }

  public ApplicationFailure failure(String message) {
    return failure(message, null);
  }

  public ApplicationFailure failure(String message, Throwable cause) {
    return retryable
        ? ApplicationFailure.newFailureWithCause(message, type(), cause)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, type(), cause);
  }

  public static String[] nonRetryableTypes() {
    return Arrays.stream(values()).filter(k -> !k.retryable).map(FailureKind::type)
        .toArray(String[]::new);
  }

  /** The kind named by a failure type string, if it is one of ours. */
  public static java.util.Optional<FailureKind> ofType(String type) {
    return Arrays.stream(values()).filter(k -> k.type().equals(type)).findFirst();
  }
}
