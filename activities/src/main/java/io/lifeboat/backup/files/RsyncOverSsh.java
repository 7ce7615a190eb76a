package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the source's host (and {@code restore files}) reads of an rsync mirror on a repository
 * host, over ssh with rsync alone on the far side: the sealed generations ({@code --list-only}
 * of {@code generations/} and {@code manifests/}) and a generation's manifest (copied into a
 * temporary file). No shell command runs there.
 */
final class RsyncOverSsh {
  private final FilesConfig f;
  private final Path repo;
  private final RepositorySsh ssh;
  private final BiFunction<String, Restic.Output, ApplicationFailure> failed;

  RsyncOverSsh(FilesConfig f, Path repo, RepositorySsh ssh,
      BiFunction<String, Restic.Output, ApplicationFailure> failed) {
    this.f = f;
    this.repo = repo;
    this.ssh = ssh;
    this.failed = failed;
  }

  private Path generations() {
    return repo.resolve("generations");
  }

  private Path manifest(String id) {
    return repo.resolve("manifests").resolve(id + ".json");
  }

  private static String bin() {
    return RsyncMirror.bin();
  }

  private ApplicationFailure failed(String what, Restic.Output o) {
    return failed.apply(what, o);
  }

  /**
   * The sealed generations on the repository host, oldest first: the names in
   * {@code generations/} that have a manifest, read with {@code rsync --list-only} (rsync is all
   * the far side runs).
   */
  List<String> names() {
    java.util.Set<String> manifests = new java.util.HashSet<>();
    for (String n : list(repo.resolve("manifests") + "/")) {
      if (n.endsWith(".json")) manifests.add(n.substring(0, n.length() - ".json".length()));
    }
    List<String> out = new ArrayList<>();
    for (String n : list(generations() + "/")) {
      if (!n.startsWith(".") && manifests.contains(n)) out.add(n);
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** The names in a directory of the repository host (not recursive). */
  List<String> list(String dir) {
    Restic.Output o = EngineProcess.run("rsync", List.of(bin(), "--list-only", "-e", ssh.rsh(),
        ssh.rsyncPath(dir)), Map.of(), List.of(), null, l -> { }, null);
    if (o.exit() != 0) {
      String all = o.stderr() + "\n" + String.join("\n", o.stdout());
      // 23: rsync reached the far side and it has no such directory (ssh's own errors are 255).
      if (o.exit() == 23 && all.contains("No such file or directory")) {
        throw FailureKind.CONFIG_INVALID.failure("rsync mirror " + repo + " of files source "
            + f.name() + " does not exist on repository host " + f.repositoryHost()
            + " (files[].repositoryPath; the first backup creates it)");
      }
      throw failed("rsync --list-only of " + ssh.host() + ":" + dir, o);
    }
    List<String> out = new ArrayList<>();
    for (String line : o.stdout()) {
      // "drwxr-xr-x          4,096 2026/12/06 23:40:01 NAME": the name is the fifth field on.
      String[] w = line.strip().split("\\s+", 5);
      if (w.length == 5 && !w[4].equals(".")) out.add(w[4]);
    }
    return out;
  }

  /** A manifest fetched from the repository host (rsync into a temporary file). */
  List<JsonNode> entries(String id) throws IOException {
    Path tmp = Files.createTempFile("lifeboat-rsync-manifest-", ".json");
    try {
      Restic.Output o = EngineProcess.run("rsync", List.of(bin(), "-e", ssh.rsh(),
          ssh.rsyncPath(manifest(id).toString()), tmp.toString()), Map.of(), List.of(), null,
          l -> { }, null);
      if (o.exit() != 0) throw failed("rsync of the manifest of generation " + id, o);
      List<JsonNode> out = new ArrayList<>();
      FilesActivitiesImpl.JSON.readTree(tmp.toFile()).path("entries").forEach(out::add);
      return out;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
