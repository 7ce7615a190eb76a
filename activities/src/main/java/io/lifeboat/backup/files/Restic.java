package io.lifeboat.backup.files;

import io.lifeboat.config.ConfigException;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * restic as a child process. The repository's address, its password and the object store's
 * keys reach restic through its environment only: never on its command line (visible in ps),
 * never in a workflow's history (which holds the variables' names).
 */
public final class Restic {
  /** One finished run: exit code, stdout lines, the tail of stderr. */
  public record Output(int exit, List<String> stdout, String stderr) {
    /** The last non-blank line of stderr, else of stdout: what a person reads first. */
    public String lastLine() {
      List<String> err = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (!err.isEmpty()) return err.get(err.size() - 1);
      List<String> out = stdout.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return out.isEmpty() ? "exit " + exit : out.get(out.size() - 1);
    }
  }

  private final String bin;
  private final Map<String, String> env;

  private Restic(String bin, Map<String, String> env) {
    this.bin = bin;
    this.env = env;
  }

  /**
   * restic for one files source. Throws {@link ConfigException} naming the variable when the
   * password or a key is not set.
   */
  public static Restic forSource(FilesConfig files, RepositoryConfig repo, Secrets secrets) {
    if (!"s3".equals(repo.type())) {
      // restic has gs: and azure: backends too; wiring their credentials is not done yet.
      throw new ConfigException("files source " + files.name() + ": restic keeps its repository"
          + " in Lifeboat's S3 repository; repository.type " + repo.type() + " is not supported"
          + " for files sources yet");
    }
    Map<String, String> env = new HashMap<>();
    env.put("RESTIC_REPOSITORY", ResticTarget.url(repo, files.name()));
    env.put("RESTIC_PASSWORD", secrets.require(files.passwordEnv(),
        "restic repository password of files source " + files.name()));
    EngineSecrets.putS3(env, secrets, repo);
    return new Restic(EngineSecrets.bin(secrets, "LIFEBOAT_RESTIC_BIN", "restic"), env);
  }

  /** Runs restic with these arguments, handing each stdout line to {@code onLine} as it comes. */
  public Output run(List<String> args, Consumer<String> onLine) {
    List<String> command = new ArrayList<>();
    command.add(bin);
    command.addAll(args);
    // Nothing of the worker's own restic or AWS settings leaks in: only this source's.
    return EngineProcess.run("restic", command, env, List.of("RESTIC_", "AWS_"), null, onLine,
        null);
  }

  public Output run(List<String> args) {
    return run(args, line -> {});
  }

  /** "restic 0.14.0", or "restic (unknown version)". */
  public String version() {
    try {
      Output o = run(List.of("version"));
      String first = o.stdout().isEmpty() ? "" : o.stdout().get(0);
      String[] parts = first.split(" ");
      return parts.length >= 2 ? parts[0] + " " + parts[1] : "restic (unknown version)";
    } catch (RuntimeException e) {
      return "restic (unknown version)";
    }
  }
}
