package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * duplicity 0.8 behind a files source: GPG-symmetric (PASSPHRASE) full and incremental chains
 * in Lifeboat's object store ({@code boto3+s3://BUCKET/PREFIX/files/NAME}), a new full chain
 * every {@code fullEvery} generations. duplicity names a backup by its time only, so each
 * generation gets a record {@code PREFIX/files-generations/NAME/GEN.json}: written with the
 * start time before duplicity runs (a retried attempt finds the set that began after it), then
 * with the set's time and the listing (type, mode, size, link, SHA-256) the restore is compared
 * with. Check: {@code duplicity verify} of the last set of every chain (every volume read and
 * its hash compared with the manifest). Retention: the keep rules pick generations, and
 * {@code remove-older-than} drops every chain none of them is in (whole chains only).
 */
final class Duplicity implements FilesEngine {
  private static final DateTimeFormatter SET_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Pattern MANIFEST = Pattern.compile(
      "duplicity-(?:full\\.(\\d{8}T\\d{6}Z)|inc\\.(\\d{8}T\\d{6}Z)\\.to\\.(\\d{8}T\\d{6}Z))\\.manifest(?:\\.gpg)?");
  private static final Pattern LISTED = Pattern.compile(
      "^\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} (.*)$");
  private final FilesConfig f;
  private final RepositoryConfig repo;
  private final Secrets secrets;
  private final String url;

  /** One backup set: its time (epoch seconds) and the start of its chain. */
  record Set1(long time, long chain, boolean full) {}

  Duplicity(FilesConfig f, RepositoryConfig repo, Secrets secrets) {
    this.f = f;
    this.repo = repo;
    this.secrets = secrets;
    this.url = "boto3+s3://" + repo.bucket() + "/" + ResticTarget.keyPrefix(repo, f.name());
  }

  @Override
  public String location() {
    return url;
  }

  private String endpoint() {
    String e = repo.endpoint();
    while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
    return e;
  }

  private Path stateDir() {
    String s = secrets.optional("LIFEBOAT_STATE_DIR");
    Path base = s == null || s.isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-state") : Path.of(s);
    return base.resolve("duplicity");
  }

  private Map<String, String> env(Path gnupg) {
    String pass = secrets.optional(f.passwordEnv());
    if (pass == null || pass.isEmpty()) {
      throw FailureKind.CONFIG_INVALID.failure(f.passwordEnv() + " (" + f.passwordPurpose()
          + ") is not set");
    }
    Map<String, String> env = new HashMap<>();
    env.put("PASSPHRASE", pass);
    env.put("AWS_ACCESS_KEY_ID", secrets.require(repo.accessKeyEnv(), "repository access key"));
    env.put("AWS_SECRET_ACCESS_KEY", secrets.require(repo.secretKeyEnv(), "repository secret key"));
    env.put("AWS_DEFAULT_REGION", repo.region());
    env.put("GNUPGHOME", gnupg.toString());
    env.put("TZ", "UTC");
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    env.put("PYTHONIOENCODING", "utf-8");
    return env;
  }

  private String bin() {
    String bin = secrets.optional("LIFEBOAT_DUPLICITY_BIN");
    return bin == null || bin.isBlank() ? "duplicity" : bin;
  }

  /** duplicity ACTION with its archive dir, a name of this source and target, and the endpoint. */
  private Restic.Output run(String action, List<String> args, Runnable tick) {
    String name;
    try {
      name = f.name() + "-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest((endpoint() + " " + url).getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<String> cmd = new ArrayList<>(List.of(bin(), action, "--archive-dir",
        stateDir().resolve("archive").toString(), "--name", name, "--s3-endpoint-url", endpoint()));
    cmd.addAll(args);
    // gpg's home for this run only: the gpg-agent it starts is stopped and the home removed after.
    Path gnupg;
    try {
      Files.createDirectories(stateDir().resolve("archive"));
      gnupg = Files.createTempDirectory(stateDir(), "gnupg-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot create " + stateDir() + ": " + e, e);
    }
    try {
      return EngineProcess.run("duplicity", cmd, env(gnupg),
          List.of("AWS_", "PASSPHRASE", "SIGN_PASSPHRASE", "GNUPGHOME"), null, l -> { }, tick);
    } finally {
      try {
        EngineProcess.run("gpgconf", List.of("gpgconf", "--homedir", gnupg.toString(), "--kill",
            "gpg-agent"), Map.of(), List.of("GNUPGHOME"), null, l -> { }, null);
      } catch (RuntimeException ignored) {
        // no agent was started
      }
      try {
        RsyncMirror.deleteTree(gnupg);
      } catch (IOException ignored) {
        // a socket the agent has not removed yet; the next run makes its own home
      }
    }
  }

  /** The excludes (restic's: a pattern without a slash matches a name anywhere), then the paths. */
  private List<String> selection() {
    List<String> out = new ArrayList<>();
    for (String e : f.excludes()) out.addAll(List.of("--exclude", e.startsWith("/") ? e : "**/" + e));
    for (String p : f.paths()) out.addAll(List.of("--include", p));
    out.addAll(List.of("--exclude", "**"));
    return out;
  }

  private ObjectStore store() {
    return StoreFactory.open(repo, secrets);
  }

  private String recordPrefix() {
    return repo.prefix() + "/files-generations/" + f.name() + "/";
  }

  /** The complete sets (those with a manifest), oldest first. */
  List<Set1> sets() {
    List<String> keys;
    try (ObjectStore s = store()) {
      keys = s.list(ResticTarget.keyPrefix(repo, f.name()) + "/");
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot list " + url + ": " + e.getMessage(), e);
    }
    TreeMap<Long, Long> prev = new TreeMap<>();
    for (String k : keys) {
      Matcher m = MANIFEST.matcher(k.substring(k.lastIndexOf('/') + 1));
      if (!m.matches()) continue;
      if (m.group(1) != null) {
        prev.put(epoch(m.group(1)), -1L);
      } else {
        prev.put(epoch(m.group(3)), epoch(m.group(2)));
      }
    }
    List<Set1> out = new ArrayList<>();
    Map<Long, Long> chainOf = new HashMap<>();
    for (Map.Entry<Long, Long> e : prev.entrySet()) {
      boolean full = e.getValue() < 0;
      long chain = full ? e.getKey() : chainOf.getOrDefault(e.getValue(), e.getValue());
      chainOf.put(e.getKey(), chain);
      out.add(new Set1(e.getKey(), chain, full));
    }
    return out;
  }

  static long epoch(String setTime) {
    return LocalDateTime.parse(setTime, SET_TIME).toEpochSecond(ZoneOffset.UTC);
  }

  /** The generation records by name. */
  private Map<String, JsonNode> records() {
    Map<String, JsonNode> out = new HashMap<>();
    try (ObjectStore s = store()) {
      for (String k : s.list(recordPrefix())) {
        if (!k.endsWith(".json")) continue;
        try (InputStream in = s.get(k)) {
          JsonNode n = FilesActivitiesImpl.JSON.readTree(in);
          out.put(n.path("generation").asText(), n);
        }
      }
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot read the generation records of files"
          + " source " + f.name() + ": " + e.getMessage(), e);
    }
    return out;
  }

  private void putRecord(ObjectNode n) {
    try (ObjectStore s = store()) {
      s.put(recordPrefix() + n.path("generation").asText() + ".json",
          FilesActivitiesImpl.JSON.writeValueAsBytes(n), "application/json");
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot write the generation record of files"
          + " source " + f.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean init() {
    return false; // the first full backup creates the chain; nothing to prepare
  }

  @Override
  public FilesSnapshot backup(String generation, String reason, Runnable tick) {
    String version = version();
    List<Set1> sets = sets();
    Map<String, JsonNode> records = records();
    JsonNode mine = records.get(generation);
    if (mine != null) {
      long t = mine.path("time").asLong(0);
      if (t > 0 && sets.stream().anyMatch(s -> s.time() == t)) {
        return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version, true);
      }
      // A lost attempt: the set that began after its start is this generation's.
      Set<Long> claimed = new java.util.HashSet<>();
      records.values().forEach(r -> claimed.add(r.path("time").asLong(0)));
      long started = mine.path("started").asLong();
      for (Set1 s : sets) {
        if (s.time() >= started && !claimed.contains(s.time())) {
          finish(generation, reason, started, s.time());
          return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version, true);
        }
      }
    }
    long started = Instant.now().getEpochSecond();
    ObjectNode rec = FilesActivitiesImpl.JSON.createObjectNode();
    rec.put("generation", generation);
    rec.put("started", started);
    putRecord(rec);
    boolean full = sets.isEmpty() || sets.stream()
        .filter(s -> s.chain() == sets.get(sets.size() - 1).chain()).count() >= f.fullEvery();
    List<String> args = new ArrayList<>(selection());
    args.addAll(List.of("/", url));
    Restic.Output o = run(full ? "full" : "incr", args, tick);
    if (o.exit() != 0) throw failed("duplicity " + (full ? "full" : "incr"), o);
    Map<String, String> stats = new HashMap<>();
    for (String line : o.stdout()) {
      String[] w = line.strip().split("\\s+");
      if (w.length >= 2) stats.put(w[0], w[1]);
    }
    Set1 made = sets().stream().filter(s -> s.time() >= started).reduce((a, b) -> b)
        .orElseThrow(() -> failed("duplicity " + (full ? "full" : "incr") + " made no set", o));
    List<JsonNode> entries = finish(generation, reason, started, made.time());
    long files = 0;
    long bytes = 0;
    for (JsonNode n : entries) {
      if (!"file".equals(n.path("type").asText())) continue;
      files++;
      bytes += n.path("size").asLong();
    }
    return new FilesSnapshot(generation, num(stats, "NewFiles"), num(stats, "ChangedFiles"), 0,
        files, bytes, num(stats, "TotalDestinationSizeChange"),
        Double.parseDouble(stats.getOrDefault("ElapsedTime", "0")), version, false);
  }

  private static long num(Map<String, String> stats, String key) {
    try {
      return (long) Double.parseDouble(stats.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Records the set's time and its listing (what duplicity holds, described from the source). */
  private List<JsonNode> finish(String generation, String reason, long started, long time) {
    Restic.Output o = run("list-current-files", List.of("--time", "" + time, url), null);
    if (o.exit() != 0) throw failed("duplicity list-current-files", o);
    List<JsonNode> entries = new ArrayList<>();
    for (String line : o.stdout()) {
      Matcher m = LISTED.matcher(line);
      if (!m.matches() || m.group(1).equals(".")) continue;
      String path = "/" + m.group(1);
      boolean inside = f.paths().stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
      ObjectNode n;
      if (inside) {
        n = describe(Path.of(path));
        if (n == null) continue; // gone since duplicity read it
      } else {
        n = FilesActivitiesImpl.JSON.createObjectNode();
        n.put("struct_type", "node");
        n.put("type", "dir");
      }
      n.put("path", path);
      entries.add(n);
    }
    ObjectNode rec = FilesActivitiesImpl.JSON.createObjectNode();
    rec.put("generation", generation);
    rec.put("started", started);
    rec.put("time", time);
    rec.put("reason", reason);
    rec.putArray("entries").addAll(entries);
    putRecord(rec);
    return entries;
  }

  private static ObjectNode describe(Path p) {
    try {
      ObjectNode n = FilesActivitiesImpl.JSON.createObjectNode();
      n.put("struct_type", "node");
      if (Files.isSymbolicLink(p)) {
        n.put("type", "symlink");
        n.put("linktarget", Files.readSymbolicLink(p).toString());
        return n;
      }
      int mode = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
      n.put("mode", mode);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        n.put("type", "dir");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        n.put("type", "file");
        n.put("size", Files.size(p));
        n.put("sha256", RsyncMirror.sha256(p));
      } else {
        n.put("type", "other");
      }
      return n;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public FilesCheck check(Runnable tick) {
    List<Set1> sets = sets();
    Map<Long, Long> lastOfChain = new TreeMap<>();
    sets.forEach(s -> lastOfChain.put(s.chain(), s.time()));
    for (long last : lastOfChain.values()) {
      List<String> args = new ArrayList<>(List.of("--time", "" + last));
      args.addAll(selection());
      args.addAll(List.of(url, "/"));
      Restic.Output o = run("verify", args, tick);
      List<String> all = new ArrayList<>(o.stdout());
      all.addAll(o.stderr().lines().toList());
      String text = String.join("\n", all);
      if (text.contains("Verify complete")) continue; // differences from the live tree are not damage
      String lower = text.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("bad session key")) throw failed("duplicity verify", o);
      if (lower.contains("hash mismatch") || lower.contains("gpgerror")
          || lower.contains("decryption failed") || lower.contains("invalid data")) {
        String first = "damage found";
        for (int i = 0; i < all.size(); i++) {
          String l = all.get(i).strip();
          if (l.toLowerCase(java.util.Locale.ROOT).matches(".*(mismatch|invalid data|gpgerror|failed).*")) {
            first = l + (l.endsWith(":") && i + 1 < all.size() ? " " + all.get(i + 1).strip() : "");
            break;
          }
        }
        return new FilesCheck(false, 100, "duplicity verify: " + first);
      }
      throw failed("duplicity verify", o);
    }
    return new FilesCheck(true, 100, "duplicity verify: " + lastOfChain.size() + " chain(s) of "
        + sets.size() + " sets read back, every volume's hash matches its manifest");
  }

  @Override
  public FilesRetention retention(Runnable tick) {
    List<String[]> before = snapshots();
    List<String> names = before.stream().map(s -> s[0]).toList();
    if (f.keep().keepsEverything()) return new FilesRetention(names, List.of());
    Map<String, Instant> time = new HashMap<>();
    Map<String, Long> chain = new HashMap<>();
    List<Set1> sets = sets();
    for (String[] s : before) {
      long t = Long.parseLong(s[2]);
      time.put(s[0], Instant.ofEpochSecond(t));
      sets.stream().filter(x -> x.time() == t).forEach(x -> chain.put(s[0], x.chain()));
    }
    List<String> keep = FilesKeep.keep(names, time::get, f.keep());
    long oldest = keep.stream().mapToLong(chain::get).min().orElse(Long.MIN_VALUE);
    if (!keep.isEmpty() && sets.stream().anyMatch(s -> s.chain() < oldest)) {
      Restic.Output o = run("remove-older-than", List.of("" + oldest, "--force", url), tick);
      if (o.exit() != 0) throw failed("duplicity remove-older-than", o);
    }
    List<String> after = snapshots().stream().map(s -> s[0]).toList();
    Set<String> removed = new LinkedHashSet<>(names);
    removed.removeAll(after);
    try (ObjectStore s = store()) {
      for (String r : removed) s.delete(recordPrefix() + r + ".json");
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot delete generation records of files"
          + " source " + f.name() + ": " + e.getMessage(), e);
    }
    return new FilesRetention(after, List.copyOf(removed));
  }

  /** {name, time, id}: a set's generation (or "duplicity-TIME" when none is recorded), its epoch. */
  @Override
  public List<String[]> snapshots() {
    Map<Long, String> byTime = new HashMap<>();
    records().values().forEach(r -> {
      if (r.path("time").asLong(0) > 0) byTime.put(r.path("time").asLong(), r.path("generation").asText());
    });
    List<String[]> out = new ArrayList<>();
    for (Set1 s : sets()) {
      String iso = Instant.ofEpochSecond(s.time()).toString();
      out.add(new String[] {byTime.getOrDefault(s.time(), "duplicity-" + iso), iso, "" + s.time()});
    }
    return out;
  }

  @Override
  public void extract(String id, Path target) {
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot create " + target + ": " + e, e);
    }
    Restic.Output o = run("restore", List.of("--force", "--time", id, url, target.toString()), null);
    if (o.exit() != 0) throw failed("duplicity restore of " + id + " into " + target, o);
  }

  @Override
  public List<JsonNode> listing(String id) {
    JsonNode rec = records().values().stream()
        .filter(r -> id.equals("" + r.path("time").asLong(0))).findFirst()
        .orElseThrow(() -> FailureKind.FILES_ENGINE_FAILED.failure("duplicity set " + id
            + " of files source " + f.name() + " has no generation record to compare with"));
    List<JsonNode> out = new ArrayList<>();
    out.add(FilesRestore.snapshotNode(f.paths()));
    rec.path("entries").forEach(out::add);
    return out;
  }

  /** "duplicity 0.8.22", or "duplicity (unknown version)". */
  String version() {
    try {
      Restic.Output o = EngineProcess.run("duplicity", List.of(bin(), "--version"), Map.of(),
          List.of(), null, l -> { }, null);
      return o.stdout().isEmpty() ? "duplicity (unknown version)" : o.stdout().get(0).strip();
    } catch (RuntimeException e) {
      return "duplicity (unknown version)";
    }
  }

  private ApplicationFailure failed(String what, Restic.Output o) {
    String all = (o.stderr() + "\n" + String.join("\n", o.stdout())).toLowerCase(java.util.Locale.ROOT);
    if (all.contains("bad session key") || all.contains("bad passphrase")) {
      return FailureKind.CONFIG_INVALID.failure(what + " for files source " + f.name()
          + ": the passphrase in " + f.passwordEnv() + " is not the repository's");
    }
    return FailureKind.FILES_ENGINE_FAILED.failure(what + " for files source " + f.name()
        + " failed (exit " + o.exit() + "): " + o.lastLine());
  }
}
