package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import java.nio.file.Path;
import java.util.List;

/**
 * borg or rsync behind a files source (issue 20): the repository on a path of the source's
 * host or of a repository host over ssh; or duplicity, its chains in Lifeboat's object store. restic keeps its own code in {@link FilesActivitiesImpl} and {@link FilesRestore}.
 * Failures are typed {@code ApplicationFailure}s (FailureKind), one line each.
 */
interface FilesEngine {
  /** Creates the repository unless it exists; true when it was created now. */
  boolean init();

  /** One generation named {@code generation}; a retried attempt finds the one it made. */
  FilesSnapshot backup(String generation, String reason, Runnable tick);

  /** The engine's own verification: a verdict, not an exception, when it finds damage. */
  FilesCheck check(Runnable tick);

  /** Applies the source's keep rules. */
  FilesRetention retention(Runnable tick);

  /** The generations, oldest first: {name, time, id}. */
  List<String[]> snapshots();

  /** Writes generation {@code id} into {@code target} (absolute paths below it, as restic). */
  void extract(String id, Path target);

  /**
   * What generation {@code id} holds, shaped as {@code restic ls --json} prints it (a
   * "snapshot" line with the paths, then one "node" per entry: path, type, mode, size,
   * linktarget; rsync's also sha256), for {@link FilesRestore}'s comparison.
   */
  List<JsonNode> listing(String id);

  /** Where the repository is, for the manifest. */
  String location();

  /**
   * @param repositoryAddress the address of {@code f.repositoryHost()} (null: the repository is
   *     on this host)
   */
  static FilesEngine of(FilesConfig f, RepositoryConfig repository, Secrets secrets,
      String repositoryAddress) {
    return switch (f.engine()) {
      case FilesConfig.DUPLICITY -> new Duplicity(f, repository, secrets);
      case FilesConfig.BORG -> new Borg(f, secrets, RepositorySsh.of(f, repositoryAddress));
      case FilesConfig.RSYNC -> new RsyncMirror(f, RepositorySsh.of(f, repositoryAddress));
      default -> throw new IllegalArgumentException("no engine class for " + f.engine());
    };
  }

  /** The generation's name from the run's tag ({@code lifeboat-run=WORKFLOW_ID/BACKUP_ID}). */
  static String generation(String runTag) {
    return runTag.substring(runTag.lastIndexOf('/') + 1);
  }
}
