package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * rsync behind a files source: a mirror on a path of the source's host, one directory per
 * generation ({@code REPO/generations/ID}, hard links to the previous one through
 * {@code --link-dest}), each with a manifest ({@code REPO/manifests/ID.json}: every entry's
 * type, mode, size, link target and SHA-256) recorded at backup. Verification re-reads every
 * kept generation against its manifest; retention deletes old generation directories.
 */
final class RsyncMirror implements FilesEngine {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private final FilesConfig f;
  private final Path repo;

  RsyncMirror(FilesConfig f) {
    this.f = f;
    this.repo = Path.of(f.repositoryPath());
  }

  private Path generations() {
    return repo.resolve("generations");
  }

  private Path manifest(String id) {
    return repo.resolve("manifests").resolve(id + ".json");
  }

  @Override
  public String location() {
    return repo.toString();
  }

  private void requireRepository() {
    if (!Files.isDirectory(generations())) {
      throw FailureKind.CONFIG_INVALID.failure("rsync mirror " + repo + " of files source "
          + f.name() + " does not exist on this host (files[].repositoryPath; the first backup"
          + " creates it)");
    }
  }

  @Override
  public boolean init() {
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

  @Override
  public FilesSnapshot backup(String generation, String reason, Runnable tick) {
    requireRepository();
    Path done = generations().resolve(generation);
    try {
      if (Files.isDirectory(done) && Files.isRegularFile(manifest(generation))) {
        return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version(), true);
      }
      List<String[]> before = snapshots();
      Path partial = generations().resolve(".partial-" + generation);
      List<String> cmd = new ArrayList<>(List.of(bin(), "-aH", "--numeric-ids", "--relative",
          "--delete", "--delete-excluded"));
      if (!before.isEmpty()) {
        cmd.add("--link-dest=" + generations().resolve(before.get(before.size() - 1)[0]));
      }
      for (String e : f.excludes()) cmd.add("--exclude=" + e);
      cmd.addAll(f.paths());
      cmd.add(partial + "/");
      Files.createDirectories(partial);
      long started = System.nanoTime();
      Restic.Output o = EngineProcess.run("rsync", cmd, Map.of(), List.of(), null, l -> { }, tick);
      // 24: some files vanished while rsync ran; the generation holds the rest.
      if (o.exit() != 0 && o.exit() != 24) throw failed("rsync", o);
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
      List<JsonNode> nodes = walk(partial, prev, inherited, tick);
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
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("rsync generation " + generation + " of files"
          + " source " + f.name() + ": " + e, e);
    }
  }

  /** Every entry below {@code root}, as the manifest records it ("/" + the relative path). */
  static List<JsonNode> walk(Path root, Runnable tick) throws IOException {
    return walk(root, null, Map.of(), tick);
  }

  /**
   * @param prev the previous generation; a file that is the same inode as its namesake there
   *     takes the digest {@code inherited} has for its path instead of being read
   */
  static List<JsonNode> walk(Path root, Path prev, Map<String, String> inherited, Runnable tick)
      throws IOException {
    List<JsonNode> out = new ArrayList<>();
    Map<Object, String> digests = new HashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        if (p.equals(root)) continue;
        ObjectNode n = FilesActivitiesImpl.JSON.createObjectNode();
        n.put("struct_type", "node");
        n.put("path", "/" + root.relativize(p));
        if (Files.isSymbolicLink(p)) {
          n.put("type", "symlink");
          n.put("linktarget", Files.readSymbolicLink(p).toString());
        } else {
          Map<String, Object> a = Files.readAttributes(p, "unix:mode,nlink,size,ino,dev",
              LinkOption.NOFOLLOW_LINKS);
          n.put("mode", ((Integer) a.get("mode")) & 07777);
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            n.put("type", "dir");
          } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            n.put("type", "file");
            n.put("size", (Long) a.get("size"));
            n.put("links", (Integer) a.get("nlink"));
            Object key = a.get("dev") + ":" + a.get("ino");
            String d = digests.get(key);
            String rel = "/" + root.relativize(p);
            if (d == null && prev != null && inherited.containsKey(rel)) {
              Path there = prev.resolve(root.relativize(p));
              if (Files.exists(there, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(p, there)) {
                d = inherited.get(rel);
                digests.put(key, d);
              }
            }
            if (d == null) {
              d = sha256(p);
              digests.put(key, d);
              if (tick != null && digests.size() % 500 == 0) tick.run();
            }
            n.put("sha256", d);
          } else {
            n.put("type", "other");
          }
        }
        out.add(n);
      }
    }
    return out;
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public FilesCheck check(Runnable tick) {
    requireRepository();
    List<String[]> all = snapshots();
    for (String[] g : all) {
      try {
        List<JsonNode> want = entries(g[0]);
        List<JsonNode> have = walk(generations().resolve(g[0]), tick);
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
    Path m = manifest(id);
    if (!Files.isRegularFile(m)) throw new IOException("its manifest " + m + " is missing");
    List<JsonNode> out = new ArrayList<>();
    FilesActivitiesImpl.JSON.readTree(m.toFile()).path("entries").forEach(out::add);
    return out;
  }

  @Override
  public FilesRetention retention(Runnable tick) {
    requireRepository();
    List<String> names = new ArrayList<>(snapshots().stream().map(s -> s[0]).toList());
    List<String> keep = FilesKeep.keep(names, RsyncMirror::time, f.keep());
    List<String> removed = new ArrayList<>();
    for (String n : names) {
      if (keep.contains(n)) continue;
      try {
        // The manifest goes first: a generation without one is not listed again.
        Files.deleteIfExists(manifest(n));
        deleteTree(generations().resolve(n));
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

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        if (!Files.isSymbolicLink(q) && Files.isDirectory(q)) {
          q.toFile().setWritable(true);
        }
        Files.delete(q);
      }
    }
  }

  /** The complete generations (those with a manifest), oldest first. */
  @Override
  public List<String[]> snapshots() {
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
    List<String> cmd = List.of(bin(), "-aH", "--numeric-ids",
        generations().resolve(id) + "/", target + "/");
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

  private static String bin() {
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

  private ApplicationFailure failed(String what, Restic.Output o) {
    return FailureKind.FILES_ENGINE_FAILED.failure(what + " for files source " + f.name()
        + " failed (exit " + o.exit() + "): " + o.lastLine());
  }
}
