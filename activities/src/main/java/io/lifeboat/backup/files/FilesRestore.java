package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code restore files NAME --to DIR} (issue 20): {@code restic restore --verify} of one snapshot
 * into a directory that is not the source, then a comparison of what is there with what the
 * snapshot lists ({@code restic ls --json}): every entry present with its type, size and
 * permission bits, symbolic links with their targets, nothing extra. restic keeps absolute
 * paths, so a snapshot of /srv/uploads is found under DIR/srv/uploads. borg ({@code borg
 * extract}, its listing from {@code borg list --json-lines}) and rsync (a copy of the generation,
 * its listing and SHA-256s from the manifest recorded at backup) are compared the same way, with
 * the same layout.
 */
public final class FilesRestore {
  /** Refused before anything is written: one line for the operator. */
  public static class Refused extends RuntimeException {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * The snapshot asked for is not in the repository (or it has none): for {@code restore
   * files} a refusal like the others; for a drill, whose manifest names the generation, a
   * finding.
   */
  public static final class NoSuchSnapshot extends Refused {
    public NoSuchSnapshot(String message) {
      super(message);
    }
  }

  /** restic failed while restoring. */
  public static final class Failed extends RuntimeException {
    public Failed(String message) {
      super(message);
    }
  }

  public record Restored(String snapshotId, String snapshotTime, Path directory, long files,
      long directories, long links, List<String> paths, List<String> differences) {}

  private final FilesConfig files;
  private final RepositoryConfig repository;
  private final Secrets secrets;

  /** The address of files.repositoryHost() (null: the repository is on this host). */
  private final String repositoryAddress;

  public FilesRestore(FilesConfig files, RepositoryConfig repository, Secrets secrets) {
    this(files, repository, secrets, null);
  }

  /**
   * @param repositoryAddress where {@code files.repositoryHost()} is reached over ssh ({@code
   *     LifeboatConfig.repositoryAddress}); this machine's user's ssh key and known_hosts (or
   *     repositorySshConfig's) must let it in, as the agent's do
   */
  public FilesRestore(FilesConfig files, RepositoryConfig repository, Secrets secrets,
      String repositoryAddress) {
    this.files = files;
    this.repository = repository;
    this.secrets = secrets;
    this.repositoryAddress = repositoryAddress;
  }

  /** The checks of the target alone, before any secret is read or anything is written. */
  public Path checkTarget(Path to, boolean overSource) {
    Path target = to.toAbsolutePath().normalize();
    if (files.restoreRoot() != null && !target.startsWith(Path.of(files.restoreRoot()).normalize())) {
      throw new Refused("--to " + target + " is outside files source " + files.name()
          + "'s restoreRoot " + files.restoreRoot());
    }
    if (!overSource) {
      for (String p : files.paths()) {
        Path src = Path.of(p).normalize();
        if (target.startsWith(src) || src.startsWith(target)) {
          throw new Refused("--to " + target + " overlaps the source path " + src + " of files"
              + " source " + files.name() + "; restore elsewhere and compare (or --over-source)");
        }
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        boolean empty;
        try (Stream<Path> s = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
            ? Files.list(target) : Stream.of(target)) {
          empty = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && s.findAny().isEmpty();
        } catch (IOException e) {
          throw new Refused("--to " + target + ": " + e.getMessage());
        }
        if (!empty) throw new Refused("--to " + target + " exists and is not an empty directory");
      }
    }
    return target;
  }

  private Restic restic() {
    try {
      return Restic.forSource(files, repository, secrets);
    } catch (ConfigException e) {
      throw new Refused(e.getMessage());
    }
  }

  private FilesEngine engine() {
    return files.restic() ? null : FilesEngine.of(files, repository, secrets, repositoryAddress);
  }

  /** An engine's failure as this class's: a config or missing repository refuses, others fail. */
  private static RuntimeException translated(io.temporal.failure.ApplicationFailure e) {
    String msg = e.getOriginalMessage();
    return io.lifeboat.failure.FailureKind.CONFIG_INVALID.type().equals(e.getType())
        ? new Refused(msg) : new Failed(msg);
  }

  /** The snapshots of the source, oldest first (short id, time). */
  public List<String[]> snapshots() {
    FilesEngine engine = engine();
    if (engine != null) {
      try {
        return engine.snapshots();
      } catch (io.temporal.failure.ApplicationFailure e) {
        throw translated(e);
      }
    }
    Restic.Output o = restic().run(List.of("snapshots", "--json"));
    if (o.exit() != 0) {
      throw new Failed("restic snapshots for files source " + files.name() + ": " + o.lastLine());
    }
    List<String[]> out = new ArrayList<>();
    JsonNode arr = FilesActivitiesImpl.parse(o.stdout());
    if (arr != null) {
      arr.forEach(s -> out.add(new String[] {FilesActivitiesImpl.shortId(s),
          s.path("time").asText(), s.path("id").asText()}));
    }
    return out;
  }

  public Restored restore(String snapshot, Path to, boolean overSource) {
    Path target = checkTarget(to, overSource);
    FilesEngine engine = engine();
    Restic restic = engine == null ? restic() : null;
    List<String[]> all = snapshots();
    if (all.isEmpty()) throw new NoSuchSnapshot("files source " + files.name() + " has no snapshots yet");
    String[] chosen = null;
    if (snapshot == null || snapshot.equals("latest")) {
      chosen = all.get(all.size() - 1);
    } else {
      for (String[] s : all) {
        if (snapshot.length() >= 4 && s[2].startsWith(snapshot) || s[0].equals(snapshot)) {
          chosen = s;
        }
      }
    }
    if (chosen == null) {
      throw new NoSuchSnapshot("no snapshot '" + snapshot + "' in files source " + files.name()
          + " (it has " + all.stream().map(s -> s[0]).reduce((a, b) -> a + ", " + b).orElse("")
          + ")");
    }
    if (engine != null) {
      try {
        engine.extract(chosen[2], target);
        return compare(chosen, target, engine.listing(chosen[2]));
      } catch (io.temporal.failure.ApplicationFailure e) {
        throw translated(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Restic.Output r = restic.run(List.of("restore", chosen[2], "--target", target.toString(),
        "--verify"));
    if (r.exit() != 0) {
      // restic goes on past a damaged blob and ends with "There were N errors": the first of
      // them names the file and the cause (e.g. "ciphertext verification failed").
      String first = r.stderr().lines().map(String::strip)
          .filter(l -> l.startsWith("ignoring error for ")).findFirst().orElse(null);
      throw new Failed("restic restore of " + chosen[0] + " into " + target + " failed (exit "
          + r.exit() + "): " + r.lastLine() + (first == null ? ""
              : " (first: " + first.substring("ignoring ".length()) + ")"));
    }
    Restic.Output ls = restic.run(List.of("ls", "--json", chosen[2]));
    if (ls.exit() != 0) throw new Failed("restic ls " + chosen[0] + ": " + ls.lastLine());
    try {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : ls.stdout()) {
        JsonNode n = FilesActivitiesImpl.parseLine(line);
        if (n != null) nodes.add(n);
      }
      return compare(chosen, target, nodes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Restored compare(String[] snapshot, Path target, List<JsonNode> listing)
      throws IOException {
    List<String> diffs = new ArrayList<>();
    Map<String, JsonNode> nodes = new HashMap<>();
    List<String> paths = new ArrayList<>();
    long nFiles = 0;
    long nDirs = 0;
    long nLinks = 0;
    for (JsonNode n : listing) {
      if ("snapshot".equals(n.path("struct_type").asText())) {
        n.path("paths").forEach(p -> paths.add(p.asText()));
        continue;
      }
      if (!"node".equals(n.path("struct_type").asText())) continue;
      String path = n.path("path").asText();
      nodes.put(path, n);
      Path local = target.resolve(path.substring(1));
      String type = n.path("type").asText();
      if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
        diffs.add(path + ": missing");
        continue;
      }
      boolean inside = paths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
      switch (type) {
        case "dir" -> {
          if (inside) nDirs++;
          if (!Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) diffs.add(path + ": not a directory");
        }
        case "symlink" -> {
          nLinks++;
          if (!Files.isSymbolicLink(local)) {
            diffs.add(path + ": not a symbolic link");
          } else if (n.has("linktarget")
              && !Files.readSymbolicLink(local).toString().equals(n.path("linktarget").asText())) {
            diffs.add(path + ": link to " + Files.readSymbolicLink(local) + ", snapshot has "
                + n.path("linktarget").asText());
          }
        }
        case "file" -> {
          nFiles++;
          if (!Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS)) {
            diffs.add(path + ": not a regular file");
          } else if (Files.size(local) != n.path("size").asLong()) {
            diffs.add(path + ": " + Files.size(local) + " bytes, snapshot has "
                + n.path("size").asLong());
          } else if (n.has("sha256")
              && !MirrorTree.sha256(local).equals(n.path("sha256").asText())) {
            diffs.add(path + ": content differs from the SHA-256 the manifest recorded");
          }
        }
        default -> { }
      }
      if (!type.equals("symlink") && inside) {
        int want = (int) (n.path("mode").asLong() & 0777);
        int have = mode(Files.getPosixFilePermissions(local, LinkOption.NOFOLLOW_LINKS));
        if (want != have) {
          diffs.add(path + ": mode " + Integer.toOctalString(have) + ", snapshot has "
              + Integer.toOctalString(want));
        }
      }
    }
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(target)) continue;
        String abs = "/" + target.relativize(p).toString();
        if (!nodes.containsKey(abs)) diffs.add(abs + ": not in the snapshot");
      }
    }
    return new Restored(snapshot[0], snapshot[1], target, nFiles, nDirs, nLinks, paths, diffs);
  }

  /** The "snapshot" line of a listing: the source's paths. */
  static JsonNode snapshotNode(List<String> paths) {
    com.fasterxml.jackson.databind.node.ObjectNode n = FilesActivitiesImpl.JSON.createObjectNode();
    n.put("struct_type", "snapshot");
    paths.forEach(n.putArray("paths")::add);
    return n;
  }

  /**
   * The directories above the source's paths, which an extract creates but borg does not list
   * (restic does): listed as directories outside the paths, so their modes are not compared.
   */
  static List<JsonNode> parentNodes(List<String> paths) {
    java.util.Set<String> seen = new java.util.TreeSet<>();
    for (String p : paths) {
      for (Path q = Path.of(p).getParent(); q != null && q.getParent() != null; q = q.getParent()) {
        seen.add(q.toString());
      }
    }
    List<JsonNode> out = new ArrayList<>();
    for (String d : seen) {
      com.fasterxml.jackson.databind.node.ObjectNode n = FilesActivitiesImpl.JSON.createObjectNode();
      n.put("struct_type", "node");
      n.put("path", d);
      n.put("type", "dir");
      out.add(n);
    }
    return out;
  }

  /** The permission bits of an ls-style mode ("drwxr-x---", "-rwsr-xr-x"). */
  static int modeBits(String s) {
    if (s.length() < 10) return 0;
    int m = 0;
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      char c = s.charAt(i + 1);
      if (c == rwx.charAt(i) || c == 's' || c == 't') m |= 1 << (8 - i);
    }
    return m;
  }

  static int mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= switch (p) {
        case OWNER_READ -> 0400; case OWNER_WRITE -> 0200; case OWNER_EXECUTE -> 0100;
        case GROUP_READ -> 040; case GROUP_WRITE -> 020; case GROUP_EXECUTE -> 010;
        case OTHERS_READ -> 04; case OTHERS_WRITE -> 02; case OTHERS_EXECUTE -> 01;
      };
    }
    return m;
  }
}
