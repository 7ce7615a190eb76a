package io.lifeboat.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One file tree backed up by an engine ({@code files:}, issue 20). The restic repository lives
 * inside Lifeboat's object store under {@code PREFIX/files/NAME}; its password is named here by
 * an environment variable the worker (and {@code restore files}) reads, never held in a file,
 * a workflow argument or a command line.
 *
 * @param host the host the paths are on (its agent runs the backup); null: the control worker
 * @param engine restic (default), borg, rsync or duplicity
 * @param passwordEnv the variable holding restic's repository password, borg's passphrase or
 *     duplicity's GPG passphrase (rsync: not used)
 * @param keep retention: {@code restic forget --prune}, {@code borg prune}, or for rsync the
 *     generation directories kept; all zero: keep every snapshot
 * @param repositoryPath borg's repository, rsync's mirror (one directory per generation): an
 *     absolute path on the source's host (the control worker's when host is null); restic
 *     and duplicity keep their repository in the object store and take none
 * @param fullEvery duplicity: a new full chain every N generations (1: every backup is full;
 *     default 7); the others: not used
 * @param repositoryHost borg and rsync: the host in {@code hosts:} that holds the repository
 *     (then repositoryPath is a path on that host), reached at its address over ssh; null: the
 *     repository is on the source's host
 * @param repositoryUser the ssh user on repositoryHost; null: the user running the agent (or
 *     an ssh config's User)
 * @param repositorySshConfig an ssh client config file ({@code ssh -F}) for the connection to
 *     repositoryHost (IdentityFile, UserKnownHostsFile, Port); null: the user's own
 *     {@code ~/.ssh}. BatchMode and StrictHostKeyChecking are always on, whatever it says
 * @param checkReadDataPercent how much of the pack data {@code restic check
 *     --read-data-subset=N%} reads back after each backup (1 to 100; default 5)
 * @param restoreRoot when set, {@code restore files --to DIR} only writes below it
 */
public record FilesConfig(
    @JsonProperty(required = true) String name,
    String host,
    List<String> paths,
    List<String> excludes,
    String engine,
    String passwordEnv,
    Keep keep,
    Integer checkReadDataPercent,
    String restoreRoot,
    String backupSchedule,
    String repositoryPath,
    Integer fullEvery,
    String repositoryHost,
    String repositoryUser,
    String repositorySshConfig) {

  public static final String RESTIC = "restic";
  public static final String BORG = "borg";
  public static final String RSYNC = "rsync";
  public static final String DUPLICITY = "duplicity";
  public static final java.util.List<String> ENGINES =
      java.util.List.of(RESTIC, BORG, RSYNC, DUPLICITY);
  public static final int DEFAULT_FULL_EVERY = 7;

  /** Without a repository host (the shape before repositories over ssh). */
  public FilesConfig(String name, String host, List<String> paths, List<String> excludes,
      String engine, String passwordEnv, Keep keep, Integer checkReadDataPercent,
      String restoreRoot, String backupSchedule, String repositoryPath, Integer fullEvery) {
    this(name, host, paths, excludes, engine, passwordEnv, keep, checkReadDataPercent, restoreRoot,
        backupSchedule, repositoryPath, fullEvery, null, null, null);
  }

  /** Without fullEvery (the shape before duplicity). */
  public FilesConfig(String name, String host, List<String> paths, List<String> excludes,
      String engine, String passwordEnv, Keep keep, Integer checkReadDataPercent,
      String restoreRoot, String backupSchedule, String repositoryPath) {
    this(name, host, paths, excludes, engine, passwordEnv, keep, checkReadDataPercent, restoreRoot,
        backupSchedule, repositoryPath, null);
  }

  /** Without a schedule of its own (the nightly default). */
  public FilesConfig(String name, String host, List<String> paths, List<String> excludes,
      String engine, String passwordEnv, Keep keep, Integer checkReadDataPercent,
      String restoreRoot) {
    this(name, host, paths, excludes, engine, passwordEnv, keep, checkReadDataPercent, restoreRoot,
        null, null);
  }

  /** Without a repository path (restic, the shape before borg and rsync). */
  public FilesConfig(String name, String host, List<String> paths, List<String> excludes,
      String engine, String passwordEnv, Keep keep, Integer checkReadDataPercent,
      String restoreRoot, String backupSchedule) {
    this(name, host, paths, excludes, engine, passwordEnv, keep, checkReadDataPercent, restoreRoot,
        backupSchedule, null);
  }

  public boolean restic() {
    return RESTIC.equals(engine);
  }

  /** borg's repository or rsync's mirror is on another host, reached over ssh. */
  public boolean remoteRepository() {
    return repositoryHost != null;
  }

  /**
   * This source as seen from its repository host, where the mirror is a local path: the same
   * source without repositoryHost, repositoryUser and repositorySshConfig (for the steps an
   * rsync mirror's own host runs: seal, check, retention).
   */
  public FilesConfig onRepositoryHost() {
    return new FilesConfig(name, host, paths, excludes, engine, passwordEnv, keep,
        checkReadDataPercent, restoreRoot, backupSchedule, repositoryPath, fullEvery);
  }

  public boolean duplicity() {
    return DUPLICITY.equals(engine);
  }

  /** restic and duplicity keep their repository in Lifeboat's object store, not on a path. */
  public boolean inObjectStore() {
    return restic() || duplicity();
  }

  /** What the engine's secret is called in messages. */
  public String passwordPurpose() {
    if (DUPLICITY.equals(engine)) return "duplicity GPG passphrase of files source " + name;
    return BORG.equals(engine) ? "borg passphrase of files source " + name
        : "restic repository password of files source " + name;
  }

  public FilesConfig {
    paths = paths == null ? List.of() : List.copyOf(paths);
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
    engine = engine != null ? engine : RESTIC;
    keep = keep != null ? keep : Keep.DEFAULT;
    checkReadDataPercent = checkReadDataPercent != null ? checkReadDataPercent : 5;
    fullEvery = fullEvery != null ? fullEvery : DEFAULT_FULL_EVERY;
    backupSchedule = backupSchedule != null ? backupSchedule : DatabaseConfig.DEFAULT_BACKUP_SCHEDULE;
  }

  /** restic's --keep-last/daily/weekly/monthly; null or 0 leaves a rule out. */
  public record Keep(Integer last, Integer daily, Integer weekly, Integer monthly) {
    public static final Keep DEFAULT = new Keep(null, 7, 4, 6);

    public Keep {
      last = last != null ? last : 0;
      daily = daily != null ? daily : 0;
      weekly = weekly != null ? weekly : 0;
      monthly = monthly != null ? monthly : 0;
    }

    public boolean keepsEverything() {
      return last == 0 && daily == 0 && weekly == 0 && monthly == 0;
    }
  }
}
