package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.backup.files.ResticTarget;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A files entry of {@link EngineFaultSuiteTest} (issue 20): the tree, the engine's child
 * processes under the worker, and the checks after the run with the engine's own tools
 * (restic and borg as the user would run them, rsync's checksum comparison).
 */
final class FilesFault {
  static final String PASSWORD_ENV = "LIFEBOAT_IT_FILES_PW";
  /** Big files: 1 MiB of random bytes each (borg and restic cannot compress them). */
  static final int BIG_FILES = 200;
  /** Small files: 4 KiB each, many of them (per-file work for every engine). */
  static final int SMALL_FILES = 8_000;
  /** rsync's --bwlimit in KiB/s: a bandwidth cap as an operator sets one on a busy host. */
  static final int RSYNC_KIB_PER_SECOND = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String engine;
  private final FilesConfig source;
  private final RepositoryConfig repository;
  private final RealStack stack;
  private final Map<String, String> env;
  /** duplicity: the set time of the partial set the killed attempt left. */
  private String partialSet;

  FilesFault(String engine, FilesConfig source, RepositoryConfig repository, RealStack stack,
      Map<String, String> env) {
    this.engine = engine;
    this.source = source;
    this.repository = repository;
    this.stack = stack;
    this.env = env;
  }

  String tool() {
    return engine;
  }

  /** About 240 MB: big random files, many small ones, a link, an empty dir, modes, unicode. */
  static void makeTree(Path tree) throws Exception {
    Random random = new Random(20);
    byte[] big = new byte[1 << 20];
    for (int i = 0; i < BIG_FILES; i++) {
      Path d = tree.resolve("big/" + (i % 10));
      Files.createDirectories(d);
      random.nextBytes(big);
      Files.write(d.resolve("f" + i + ".bin"), big);
    }
    byte[] small = new byte[4096];
    for (int i = 0; i < SMALL_FILES; i++) {
      Path d = tree.resolve("small/" + (i % 100));
      Files.createDirectories(d);
      random.nextBytes(small);
      Files.write(d.resolve("s" + i + ".txt"), small);
    }
    Files.createDirectories(tree.resolve("empty"));
    Files.writeString(tree.resolve("Grüße-日本.txt"), "unicode name\n");
    Files.writeString(tree.resolve("secret.key"), "k\n");
    Files.setPosixFilePermissions(tree.resolve("secret.key"),
        PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(tree.resolve("latest.bin"), Path.of("big/0/f0.bin"));
  }

  /** rsync behind a bandwidth cap (LIFEBOAT_RSYNC_BIN): the real rsync, as on a busy host. */
  static Path throttledRsync(Path dir) {
    Path script = dir.resolve("rsync-bwlimit");
    try {
      if (!Files.exists(script)) {
        Files.writeString(script, "#!/bin/sh\nexec rsync --bwlimit=" + RSYNC_KIB_PER_SECOND
            + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return script;
  }

  /** duplicity's volume size here, in MB: the tree is a dozen volumes, as a big tree is. */
  static final int DUPLICITY_VOLSIZE_MB = 20;

  /**
   * duplicity with --volsize (LIFEBOAT_DUPLICITY_BIN): the real duplicity, volumes a tenth of
   * its 200 MB default so the ~240 MB tree is many of them (what a big tree is at the default).
   */
  static Path smallVolumeDuplicity(Path dir) {
    Path script = dir.resolve("duplicity-volsize");
    try {
      if (!Files.exists(script)) {
        Files.writeString(script, "#!/bin/sh\nif [ \"$1\" = full ] || [ \"$1\" = incr ]; then a=$1;"
            + " shift; exec duplicity \"$a\" --volsize " + DUPLICITY_VOLSIZE_MB + " \"$@\"; fi\n"
            + "exec duplicity \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return script;
  }

  /** The worker's children that are this engine's backup: restic backup, borg create, rsync. */
  List<ProcessHandle> engineChildren(Process worker) {
    return worker.toHandle().descendants().filter(h -> {
      String line = h.info().commandLine().orElse(h.info().command().orElse(""));
      return switch (engine) {
        case "restic" -> line.contains("restic") && line.contains(" backup ");
        case "borg" -> line.contains("borg") && line.contains(" create ");
        case "duplicity" -> line.contains("duplicity")
            && (line.contains(" full ") || line.contains(" incr "));
        default -> line.contains("rsync") && line.contains(".partial-");
      };
    }).toList();
  }

  /**
   * The backup is under way, past its start: restic holds its lock in the repository and has
   * stored a pack, borg holds lock.exclusive, rsync has copied files into the partial
   * generation. A kill now leaves what a crash mid-backup leaves.
   */
  boolean underWay() throws Exception {
    switch (engine) {
      case "restic" -> {
        String keys = ResticTarget.keyPrefix(repository, source.name());
        return !stack.store().list(keys + "/locks/").isEmpty()
            && !stack.store().list(keys + "/data/").isEmpty();
      }
      case "borg" -> {
        return Files.exists(Path.of(source.repositoryPath()).resolve("lock.exclusive"));
      }
      case "duplicity" -> {
        // Three volumes stored: duplicity counts the last one as possibly cut short, the two
        // before it as done, so a retry resumes this set (same set time) rather than restarting.
        return duplicityVolumes().size() >= 3;
      }
      default -> {
        Path gen = Path.of(source.repositoryPath()).resolve("generations");
        try (Stream<Path> s = Files.walk(gen)) {
          return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count() >= 50;
        } catch (java.io.UncheckedIOException | java.io.IOException racing) {
          return false;
        }
      }
    }
  }

  /** Waits (generously) for the killed worker's engine processes to end; "" or what is left. */
  String awaitGone(List<ProcessHandle> children) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (children.stream().noneMatch(FilesFault::running)) return "";
      Thread.sleep(100);
    }
    StringBuilder left = new StringBuilder();
    for (ProcessHandle h : children) {
      if (running(h)) {
        left.append(h.pid()).append(' ').append(h.info().commandLine().orElse("?")).append("; ");
        h.destroyForcibly(); // the test's clean-up, after the finding
      }
    }
    return left.toString();
  }

  private static boolean running(ProcessHandle h) {
    if (!h.isAlive()) return false;
    try {
      String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (Exception gone) {
      return false;
    }
  }

  /**
   * After the kill, before the restart: the killed attempt's engine did not finish its work on
   * its own (an orphan that ran on would have: borg's archive, restic's snapshot, rsync's whole
   * tree in the partial generation). Says what the killed attempt left for the retry to face.
   */
  String leftUnfinished(Path tree, int treeFiles) throws Exception {
    switch (engine) {
      case "restic" -> {
        JsonNode snaps = JSON.readTree(run("restic", "snapshots", "--json", "--no-lock"));
        assertEquals(0, snaps.size(), "no snapshot made by the killed attempt: " + snaps);
        long locks = run("restic", "list", "locks", "--no-lock").lines()
            .filter(l -> !l.isBlank()).count();
        assertTrue(locks >= 1, "the killed restic's lock is left for the retry to face");
        return "the killed restic left no snapshot and " + locks + " stale lock(s)";
      }
      case "borg" -> {
        // A cache of its own: listing archives reads only the repository, and the killed
        // borg's lock on the shared cache (~/.cache/borg/ID/lock.exclusive) is for the retry
        // to face, not this look (a fresh clone's run on 539717d had this list time out on
        // it: "Failed to create/acquire the lock ... (timeout)").
        Path cache = Files.createTempDirectory("lifeboat-borg-look-");
        JsonNode list;
        try {
          list = JSON.readTree(run(Map.of("BORG_CACHE_DIR", cache.toString()),
              "borg", "list", "--json", "--bypass-lock"));
        } finally {
          io.lifeboat.rollback.ReleaseDirs.deleteTree(cache);
        }
        assertEquals(0, list.path("archives").size(), "no archive made by the killed borg"
            + " (an orphan borg create ran to its end): " + list);
        assertTrue(Files.exists(Path.of(source.repositoryPath()).resolve("lock.exclusive")),
            "the killed borg's lock.exclusive is left for the retry to face");
        return "the killed borg left no archive and its lock.exclusive";
      }
      case "duplicity" -> {
        List<String> keys = stack.store().list(ResticTarget.keyPrefix(repository, source.name())
            + "/");
        assertEquals(List.of(), keys.stream().filter(k -> k.contains(".manifest")).toList(),
            "no complete set (no manifest) made by the killed duplicity");
        long vols = duplicityVolumes().size();
        assertTrue(vols >= 3, "the killed duplicity left uploaded volumes: " + keys);
        List<String> local;
        try (Stream<Path> s = Files.walk(Path.of(env.get("LIFEBOAT_DUPLICITY_STATE_DIR"), "archive"))) {
          local = s.map(p -> p.getFileName().toString()).toList();
        }
        assertTrue(local.stream().anyMatch(n -> n.endsWith(".manifest.part")),
            "the killed duplicity's partial manifest is in its archive dir: " + local);
        partialSet = duplicityVolumes().get(0).replaceAll(".*duplicity-full\\.([0-9TZ]+)\\..*", "$1");
        return "the killed duplicity left no complete set, " + vols + " uploaded volume(s) and a"
            + " partial manifest" + (local.contains("lockfile") ? " and its lockfile" : "")
            + " in its archive dir";
      }
      default -> {
        Path gen = Path.of(source.repositoryPath()).resolve("generations");
        List<String> names = names(gen);
        assertEquals(1, names.size(), "only the partial generation: " + names);
        assertTrue(names.get(0).startsWith(".partial-"), names.toString());
        long copied;
        try (Stream<Path> s = Files.walk(gen.resolve(names.get(0)))) {
          copied = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        }
        assertTrue(copied < treeFiles, "the killed rsync stopped part way (an orphan rsync"
            + " copied the whole tree): " + copied + " of " + treeFiles + " files");
        return "the killed rsync left a partial generation of " + copied + " of " + treeFiles
            + " files";
      }
    }
  }

  /** The duplicity volumes in the bucket under the source's prefix. */
  private List<String> duplicityVolumes() throws Exception {
    return stack.store().list(ResticTarget.keyPrefix(repository, source.name()) + "/").stream()
        .filter(k -> k.matches(".*/duplicity-full\\.[0-9TZ]+\\.vol\\d+\\.difftar\\.gpg")).toList();
  }

  private String duplicityUrl() {
    return "boto3+s3://" + repository.bucket() + "/" + ResticTarget.keyPrefix(repository,
        source.name());
  }

  /** duplicity as a user runs it on another host: a fresh archive dir and gpg home. */
  private String duplicity(String action, String... args) throws Exception {
    Path scratch = Files.createTempDirectory("dup-check-");
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx------"));
    List<String> argv = new java.util.ArrayList<>(List.of("duplicity", action, "--archive-dir",
        scratch.resolve("archive").toString(), "--s3-endpoint-url", repository.endpoint()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(toolEnv());
    pb.environment().put("PASSPHRASE", env.get(PASSWORD_ENV));
    pb.environment().put("GNUPGHOME", scratch.toString());
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    new ProcessBuilder("gpgconf", "--homedir", scratch.toString(), "--kill", "gpg-agent")
        .start().waitFor();
    // verify exits 1 when it reports differences; the caller judges them.
    assertEquals(0, action.equals("verify") && exit == 1 ? 0 : exit,
        String.join(" ", argv) + ": " + out);
    return out;
  }

  private Map<String, String> toolEnv() {
    Map<String, String> e = new HashMap<>();
    e.put("RESTIC_REPOSITORY", ResticTarget.url(repository, source.name()));
    e.put("RESTIC_PASSWORD", env.get(PASSWORD_ENV));
    e.put("AWS_ACCESS_KEY_ID", System.getenv(repository.accessKeyEnv()));
    e.put("AWS_SECRET_ACCESS_KEY", System.getenv(repository.secretKeyEnv()));
    e.put("AWS_DEFAULT_REGION", repository.region());
    e.put("BORG_PASSPHRASE", env.get(PASSWORD_ENV));
    e.put("BORG_REPO", String.valueOf(source.repositoryPath()));
    return e;
  }

  private String run(String... argv) throws Exception {
    return run(Map.of(), argv);
  }

  private String run(Map<String, String> extraEnv, String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(toolEnv());
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    return out;
  }

  /**
   * Exactly one generation in the repository, the run's (the killed attempt left neither a
   * second one nor a half one taken as complete), and no lock left behind.
   */
  String exactlyOneGeneration(String id, String runTag) throws Exception {
    switch (engine) {
      case "restic" -> {
        JsonNode snaps = JSON.readTree(run("restic", "snapshots", "--json", "--no-lock"));
        assertEquals(1, snaps.size(), "one restic snapshot: " + snaps);
        assertEquals(id, snaps.get(0).path("short_id").asText(), snaps.toString());
        assertTrue(snaps.get(0).path("tags").toString().contains(runTag), snaps.toString());
        String locks = run("restic", "list", "locks", "--no-lock").strip();
        assertEquals("", locks, "no restic lock left");
        return "one restic snapshot (" + id + ", tagged with the run), no lock left";
      }
      case "borg" -> {
        JsonNode list = JSON.readTree(run("borg", "list", "--json"));
        assertEquals(1, list.path("archives").size(), "one borg archive: " + list);
        assertEquals(id, list.path("archives").get(0).path("name").asText());
        Path repo = Path.of(source.repositoryPath());
        assertTrue(!Files.exists(repo.resolve("lock.exclusive")), "no borg lock left");
        return "one borg archive (" + id + ", no .checkpoint), no lock.exclusive left";
      }
      case "duplicity" -> {
        String recs = repository.prefix() + "/files-generations/" + source.name() + "/";
        List<String> keys = stack.store().list(recs);
        assertEquals(List.of(recs + id + ".json"), keys, "one generation record, the run's");
        JsonNode rec;
        try (var in = stack.store().get(keys.get(0))) {
          rec = JSON.readTree(in);
        }
        long time = rec.path("time").asLong(0);
        assertTrue(time > 0, "the record names its set: " + rec.path("time"));
        String status = duplicity("collection-status", duplicityUrl());
        assertTrue(status.contains("No orphaned or incomplete backup sets found."), status);
        assertTrue(status.contains("Number of contained backup sets: 1"), status);
        String setTime = java.time.format.DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
            java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC)
            .format(java.time.Instant.ofEpochSecond(time));
        assertTrue(status.replaceAll(" +", " ").contains(setTime), "the record's set (" + setTime
            + ") is the complete one: " + status);
        String set = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochSecond(time));
        return "one generation record (" + id + ", started " + rec.path("started") + " -> set "
            + setTime + ", " + (set.equals(partialSet) ? "the killed attempt's partial set, resumed"
            : "a new set (the killed attempt's partial " + partialSet + " removed)")
            + "), collection-status:"
            + " one complete full set, no orphaned or incomplete set";
      }
      default -> {
        Path repo = Path.of(source.repositoryPath());
        assertEquals(List.of(id), names(repo.resolve("generations")),
            "one rsync generation, no partial left");
        assertEquals(List.of(id + ".json"), names(repo.resolve("manifests")),
            "one generation manifest");
        return "one rsync generation (" + id + "), no .partial- directory left";
      }
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The engine's own check of its repository, run outside Lifeboat. */
  String ownCheck() throws Exception {
    switch (engine) {
      case "restic" -> {
        run("restic", "check", "--read-data");
        return "restic check --read-data: no errors";
      }
      case "borg" -> {
        run("borg", "check", "--verify-data");
        return "borg check --verify-data: no problems";
      }
      case "duplicity" -> {
        String tree = source.paths().get(0);
        String out = duplicity("verify", "--compare-data", "--include", tree, "--exclude", "**",
            duplicityUrl(), "/");
        // Differences in the tree's parent directories (their mtimes move on) are not the set's.
        List<String> inTree = out.lines().filter(l -> l.startsWith("Difference found: "))
            .filter(l -> !java.util.regex.Pattern.compile("^Difference found: File (.*) has mtime .*")
                .matcher(l).replaceAll("$1").transform(d -> (tree + "/").startsWith("/" + d + "/")))
            .toList();
        assertEquals(List.of(), inTree, out);
        assertTrue(out.contains("Verify complete: "), out);
        return "duplicity verify --compare-data: " + out.lines()
            .filter(l -> l.startsWith("Verify complete")).findFirst().orElse("?")
            + " (none inside the tree: only its parent directories' mtimes moved on)";
      }
      default -> {
        Path gen = Path.of(source.repositoryPath()).resolve("generations");
        String id = names(gen).get(0);
        String tree = source.paths().get(0);
        String diff = run("rsync", "-rlpcn", "--itemize-changes", "--delete", tree + "/",
            gen.resolve(id).toString() + tree + "/").strip();
        assertEquals("", diff, "rsync --checksum finds the generation equal to the tree");
        return "rsync -rlpcn --checksum: the generation equals the tree";
      }
    }
  }

  /** restore files --snapshot ID: no difference reported, and the tree equal entry by entry. */
  String restoreMatches(Path tree, String id, Path to, Path config) throws Exception {
    Map<String, String> cliEnv = new HashMap<>(System.getenv());
    cliEnv.putAll(env);
    RealStack.Run r = stack.cli(cliEnv, "restore", "files", source.name(), "--snapshot", id,
        "--to", to.toString(), "--json", "--config", config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(0, j.path("differences").size(), j.toString());
    Map<String, String> want = Trees.describe(tree);
    assertEquals(want, Trees.describe(to.resolve(tree.toString().substring(1))),
        "the restored tree equals the source");
    return "restored " + want.size() + " entries equal to the tree (content, modes, links)";
  }
}
