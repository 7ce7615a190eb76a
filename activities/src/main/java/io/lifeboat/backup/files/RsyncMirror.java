package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * rsync behind a files source: a mirror on a path of the source's host, one directory per
 * generation ({@code REPO/generations/ID}, hard links to the previous one through
 * {@code --link-dest}), each with a manifest ({@code REPO/manifests/ID.json}: every entry's
 * type, mode, size, link target and SHA-256) recorded at backup. Verification re-reads every
 * kept generation against its manifest; retention deletes old generation directories.
 *
 * <p>On a repository host ({@code files[].repositoryHost}) the work is split by where the data
 * is. The source's host pushes over ssh ({@link #backup}: {@code rsync -e ssh ...
 * --link-dest=../PREVIOUS PATHS USER@ADDRESS:REPO/generations/.partial-ID/}); the repository
 * host's agent, to which the mirror is a local path again (an engine built from {@link
 * FilesConfig#onRepositoryHost}), writes the manifest and renames ({@link #seal}), checks and
 * applies retention; {@code restore files} pulls over ssh. Over ssh only rsync runs on the far
 * side ({@code --list-only} lists generations and manifests): no shell commands.
 *
 * <p>Rerun rules over ssh: a retried push finds the run's manifest on the repository host (the
 * generation is sealed: reused) or copies again into the same {@code .partial-ID} (rsync with
 * {@code --delete} makes it match the source; a killed rsync's half-written temporary files
 * there are removed by the next run's {@code --delete}, never listed); a retried seal finds the
 * generation renamed with its manifest (reused) or walks the partial directory again.
 */
final class RsyncMirror implements FilesEngine {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private final FilesConfig f;
  private final Path repo;
  /** null: the mirror is on this host. */
  private final RepositorySsh ssh;
  /** What is read from the mirror's host over ssh; null when it is on this host. */
  private final RsyncOverSsh remote;

  RsyncMirror(FilesConfig f) {
    this(f, null);
  }

  RsyncMirror(FilesConfig f, RepositorySsh ssh) {
    this.f = f;
    this.repo = Path.of(f.repositoryPath());
    this.ssh = ssh;
    this.remote = ssh == null ? null : new RsyncOverSsh(f, repo, ssh, this::failed);
  }

  private Path generations() {
    return repo.resolve("generations");
  }

  private Path manifest(String id) {
    return repo.resolve("manifests").resolve(id + ".json");
  }

  @Override
  public String location() {
    return ssh == null ? repo.toString() : ssh.rsyncPath(repo.toString());
  }

  private void requireRepository() {
    if (ssh != null) return; // the listing over ssh says it (RsyncOverSsh.list)
    if (!Files.isDirectory(generations())) {
      throw FailureKind.CONFIG_INVALID.failure("rsync mirror " + repo + " of files source "
          + f.name() + " does not exist on this host (files[].repositoryPath; the first backup"
          + " creates it)");
    }
  }

  @Override
  public boolean init() {
    if (ssh != null) {
      // The repository host's agent creates it (an engine without ssh there).
      throw new IllegalStateException("init of a remote rsync mirror runs on its host");
    }
    if (Files.isDirectory(generations())) return false;
    if (repo.getParent() != null && !Files.isDirectory(repo.getParent())) {
      throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": the directory "
          + repo.getParent() + " of repositoryPath " + repo + " does not exist on this host");
    }
    try {
      Files.createDirectories(generations());
      Files.createDirectories(repo.resolve("manifests"));
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot create the rsync mirror " + repo
          + " of files source " + f.name() + ": " + e, e);
    }
    return true;
  }

  /** The rsync command line of a push: archive, hard links, the source's absolute paths. */
  private List<String> pushCommand(String linkDest) {
    List<String> cmd = new ArrayList<>(List.of(bin(), "-aH", "--numeric-ids", "--relative",
        "--delete", "--delete-excluded"));
    if (ssh != null) cmd.addAll(List.of("-e", ssh.rsh()));
    if (linkDest != null) cmd.add("--link-dest=" + linkDest);
    for (String e : f.excludes()) cmd.add("--exclude=" + e);
    cmd.addAll(f.paths());
    return cmd;
  }

  @Override
  public FilesSnapshot backup(String generation, String reason, Runnable tick) {
    if (ssh != null) return push(generation, tick);
    requireRepository();
    Path done = generations().resolve(generation);
    try {
      if (Files.isDirectory(done) && Files.isRegularFile(manifest(generation))) {
        return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version(), true);
      }
      List<String[]> before = snapshots();
      Path partial = generations().resolve(".partial-" + generation);
      List<String> cmd = pushCommand(before.isEmpty() ? null
          : generations().resolve(before.get(before.size() - 1)[0]).toString());
      cmd.add(partial + "/");
      Files.createDirectories(partial);
      long started = System.nanoTime();
      Restic.Output o = EngineProcess.run("rsync", cmd, Map.of(), List.of(), null, l -> { }, tick);
      // 24: some files vanished while rsync ran; the generation holds the rest.
      if (o.exit() != 0 && o.exit() != 24) throw failed("rsync", o);
      return seal(generation, reason, partial, started, tick);
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("rsync generation " + generation + " of files"
          + " source " + f.name() + ": " + e, e);
    }
  }

  /**
   * The source's host's half over ssh: the paths copied into {@code .partial-ID} on the
   * repository host, hard-linked ({@code --link-dest}, relative to the destination) to the
   * newest sealed generation. The generation is not complete until {@link #seal} ran there.
   */
  private FilesSnapshot push(String generation, Runnable tick) {
    List<String> names = remote.names();
    if (names.contains(generation)) {
      return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version(), true);
    }
    List<String> cmd = pushCommand(names.isEmpty() ? null
        : "../" + names.get(names.size() - 1));
    cmd.add(ssh.rsyncPath(generations() + "/.partial-" + generation + "/"));
    long started = System.nanoTime();
    Restic.Output o = EngineProcess.run("rsync", cmd, Map.of(), List.of(), null, l -> { }, tick);
    if (o.exit() != 0 && o.exit() != 24) throw failed("rsync to " + ssh.host(), o);
    return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0,
        (System.nanoTime() - started) / 1e9, version(), false);
  }

  /**
   * On the mirror's own host: the pushed {@code .partial-ID} gets its manifest and becomes
   * generation ID. A retried seal finds it done (reused), or walks the partial directory again.
   */
  FilesSnapshot seal(String generation, String reason, Runnable tick) {
    onThisHost("the seal");
    requireRepository();
    Path done = generations().resolve(generation);
    try {
      if (Files.isDirectory(done) && Files.isRegularFile(manifest(generation))) {
        return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version(), true);
      }
      Path partial = generations().resolve(".partial-" + generation);
      if (!Files.isDirectory(partial)) {
        throw FailureKind.FILES_ENGINE_FAILED.failure("rsync generation " + generation + " of"
            + " files source " + f.name() + ": " + partial + " is not on this host (the push"
            + " from the source's host did not reach it); start the backup again");
      }
      return seal(generation, reason, partial, System.nanoTime(), tick);
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("rsync generation " + generation + " of files"
          + " source " + f.name() + ": " + e, e);
    }
  }

  /** The manifest of the copy in {@code partial}, then the rename to {@code generations/ID}. */
  private FilesSnapshot seal(String generation, String reason, Path partial, long started,
      Runnable tick) throws IOException {
    Path done = generations().resolve(generation);
    List<String[]> before = snapshots();
    // Files linked to the previous generation keep the SHA-256 its manifest recorded: they are
    // not re-read, and a byte flipped there since is still found by the check.
    Map<String, String> inherited = new HashMap<>();
    Path prev = null;
    if (!before.isEmpty()) {
      String p = before.get(before.size() - 1)[0];
      prev = generations().resolve(p);
      for (JsonNode n : entries(p)) {
        if (n.has("sha256")) inherited.put(n.path("path").asText(), n.path("sha256").asText());
      }
    }
    List<JsonNode> nodes = MirrorTree.walk(partial, prev, inherited, tick);
    long files = 0;
    long bytes = 0;
    long added = 0;
    for (JsonNode n : nodes) {
      if (!"file".equals(n.path("type").asText())) continue;
      files++;
      bytes += n.path("size").asLong();
      if (n.path("links").asInt() <= 1) added += n.path("size").asLong();
    }
    ObjectNode m = FilesActivitiesImpl.JSON.createObjectNode();
    m.put("generation", generation);
    m.put("time", Instant.now().toString());
    m.put("reason", reason);
    m.putPOJO("paths", f.paths());
    m.putArray("entries").addAll(nodes);
    Path tmp = manifest(generation).resolveSibling(generation + ".json.tmp");
    Files.write(tmp, FilesActivitiesImpl.JSON.writeValueAsBytes(m));
    Files.move(tmp, manifest(generation), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.move(partial, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new FilesSnapshot(generation, 0, 0, 0, files, bytes, added,
        (System.nanoTime() - started) / 1e9, version(), false);
  }

  /** Steps that read or change the mirror's files run where they are (the repository host). */
  private void onThisHost(String what) {
    if (ssh != null) {
      throw new IllegalStateException(what + " of a remote rsync mirror runs on its host");
    }
  }

  @Override
  public FilesCheck check(Runnable tick) {
    onThisHost("the check");
    requireRepository();
    List<String[]> all = snapshots();
    for (String[] g : all) {
      try {
        List<JsonNode> want = entries(g[0]);
        List<JsonNode> have = MirrorTree.walk(generations().resolve(g[0]), tick);
        Map<String, JsonNode> byPath = new HashMap<>();
        have.forEach(n -> byPath.put(n.path("path").asText(), n));
        for (JsonNode w : want) {
          String path = w.path("path").asText();
          JsonNode h = byPath.remove(path);
          String diff = h == null ? "missing" : differs(w, h);
          if (diff != null) {
            return new FilesCheck(false, 100, "rsync mirror: generation " + g[0] + ": " + path
                + ": " + diff + " (checksum manifest " + manifest(g[0]).getFileName() + ")");
          }
        }
        if (!byPath.isEmpty()) {
          return new FilesCheck(false, 100, "rsync mirror: generation " + g[0] + ": "
              + byPath.keySet().iterator().next() + ": not in the checksum manifest");
        }
      } catch (IOException e) {
        return new FilesCheck(false, 100, "rsync mirror: generation " + g[0] + ": " + e);
      }
    }
    return new FilesCheck(true, 100, "rsync mirror: " + all.size() + " generations match their"
        + " SHA-256 manifests (read all of the data)");
  }

  private static String differs(JsonNode want, JsonNode have) {
    for (String k : List.of("type", "mode", "size", "linktarget", "sha256")) {
      if (!want.path(k).asText().equals(have.path(k).asText())) {
        return k + " " + have.path(k).asText() + ", manifest has " + want.path(k).asText();
      }
    }
    return null;
  }

  private List<JsonNode> entries(String id) throws IOException {
    if (ssh != null) return remote.entries(id);
    Path m = manifest(id);
    if (!Files.isRegularFile(m)) throw new IOException("its manifest " + m + " is missing");
    List<JsonNode> out = new ArrayList<>();
    FilesActivitiesImpl.JSON.readTree(m.toFile()).path("entries").forEach(out::add);
    return out;
  }

  @Override
  public FilesRetention retention(Runnable tick) {
    onThisHost("retention");
    requireRepository();
    List<String> names = new ArrayList<>(snapshots().stream().map(s -> s[0]).toList());
    List<String> keep = FilesKeep.keep(names, RsyncMirror::time, f.keep());
    List<String> removed = new ArrayList<>();
    for (String n : names) {
      if (keep.contains(n)) continue;
      try {
        // The manifest goes first: a generation without one is not listed again.
        Files.deleteIfExists(manifest(n));
        MirrorTree.deleteTree(generations().resolve(n));
      } catch (IOException e) {
        throw FailureKind.FILES_ENGINE_FAILED.failure("cannot delete rsync generation " + n
            + " of files source " + f.name() + ": " + e, e);
      }
      removed.add(n);
      if (tick != null) tick.run();
    }
    return new FilesRetention(keep, removed);
  }

  static Instant time(String generation) {
    try {
      return LocalDateTime.parse(generation.substring(0, 16), ID_TIME).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  /** The complete generations (those with a manifest), oldest first. */
  @Override
  public List<String[]> snapshots() {
    if (ssh != null) {
      return remote.names().stream().map(n -> new String[] {n, time(n).toString(), n}).toList();
    }
    requireRepository();
    List<String[]> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(generations())) {
      for (Path g : (Iterable<Path>) s.sorted()::iterator) {
        String n = g.getFileName().toString();
        if (n.startsWith(".") || !Files.isRegularFile(manifest(n))) continue;
        out.add(new String[] {n, time(n).toString(), n});
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void extract(String id, Path target) {
    List<String> cmd = new ArrayList<>(List.of(bin(), "-aH", "--numeric-ids"));
    String from = generations().resolve(id) + "/";
    if (ssh != null) {
      cmd.addAll(List.of("-e", ssh.rsh()));
      from = ssh.rsyncPath(from);
    }
    cmd.addAll(List.of(from, target + "/"));
    Restic.Output o = EngineProcess.run("rsync", cmd, Map.of(), List.of(), null, l -> { }, null);
    if (o.exit() != 0) throw failed("rsync of generation " + id + " into " + target, o);
  }

  @Override
  public List<JsonNode> listing(String id) {
    try {
      List<JsonNode> out = new ArrayList<>();
      out.add(FilesRestore.snapshotNode(f.paths()));
      out.addAll(entries(id));
      return out;
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("rsync generation " + id + ": " + e, e);
    }
  }

  static String bin() {
    String bin = System.getenv("LIFEBOAT_RSYNC_BIN");
    return bin == null || bin.isBlank() ? "rsync" : bin;
  }

  String version() {
    try {
      Restic.Output o = EngineProcess.run("rsync", List.of(bin(), "--version"), Map.of(),
          List.of(), null, l -> { }, null);
      String first = o.stdout().isEmpty() ? "" : o.stdout().get(0);
      String[] w = first.split("\\s+");
      return w.length >= 3 ? "rsync " + w[2] : "rsync (unknown version)";
    } catch (RuntimeException e) {
      return "rsync (unknown version)";
    }
  }

  ApplicationFailure failed(String what, Restic.Output o) {
    if (ssh != null && RepositorySsh.looksLikeConnection(o)) {
      ApplicationFailure connection = ssh.probe(what);
      if (connection != null) return connection;
    }
    return FailureKind.FILES_ENGINE_FAILED.failure(what + " for files source " + f.name()
        + " failed (exit " + o.exit() + "): " + o.lastLine());
  }
}
