package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
  private final FilesConfig f;
  private final RepositoryConfig repo;
  private final Secrets secrets;
  private final String url;
  private final DuplicityRecords recs;

  Duplicity(FilesConfig f, RepositoryConfig repo, Secrets secrets) {
    this.f = f;
    this.repo = repo;
    this.secrets = secrets;
    this.url = "boto3+s3://" + repo.bucket() + "/" + ResticTarget.keyPrefix(repo, f.name());
    this.recs = new DuplicityRecords(f, repo, secrets);
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

  /** LIFEBOAT_DUPLICITY_STATE_DIR, else STATE/duplicity (LIFEBOAT_STATE_DIR, else the temp dir). */
  private Path stateDir() {
    String own = secrets.optional("LIFEBOAT_DUPLICITY_STATE_DIR");
    if (own != null && !own.isBlank()) return Path.of(own);
    String s = secrets.optional("LIFEBOAT_STATE_DIR");
    Path base = s == null || s.isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-state") : Path.of(s);
    return base.resolve("duplicity");
  }

  private Map<String, String> env(Path gnupg) {
    Map<String, String> env = new HashMap<>();
    env.put("PASSPHRASE", EngineSecrets.passphrase(secrets, f));
    EngineSecrets.putS3(env, secrets, repo);
    env.put("GNUPGHOME", gnupg.toString());
    env.put("TZ", "UTC");
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    env.put("PYTHONIOENCODING", "utf-8");
    return env;
  }

  private String bin() {
    return EngineSecrets.bin(secrets, "LIFEBOAT_DUPLICITY_BIN", "duplicity");
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
      // In the temp dir, not the state dir: gpg-agent's sockets live in its home (this host has
      // no /run/user/UID), and a socket's path must fit 107 bytes. Under a test's state dir
      // ("/tmp/lifeboat-it<29 digits>/duplicity-state/gnupg-<up to 19 digits>/S.gpg-agent.browser")
      // it sometimes did not, by the random names' lengths: gpg then found "No agent running"
      // and duplicity failed with exit 31.
      gnupg = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "lb-gpg-",
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
        MirrorTree.deleteTree(gnupg);
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

  @Override
  public boolean init() {
    return false; // the first full backup creates the chain; nothing to prepare
  }

  @Override
  public FilesSnapshot backup(String generation, String reason, Runnable tick) {
    String version = version();
    List<DuplicityRecords.Set1> sets = recs.sets();
    Map<String, JsonNode> records = recs.records();
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
      for (DuplicityRecords.Set1 s : sets) {
        if (s.time() >= started && !claimed.contains(s.time())) {
          finish(generation, reason, started, s.time());
          return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version, true);
        }
      }
    }
    if (mine != null) {
      // An attempt of this generation failed or was killed before its set was complete: its
      // partial set goes (cleanup removes the volumes of sets without a manifest), so this
      // attempt makes a whole one. Resuming it is what duplicity would try, and it fails for
      // good when the attempt broke inside gpg: the resume decrypts the partial set's first
      // volume on every retry.
      Restic.Output c = run("cleanup", List.of("--force", url), tick);
      if (c.exit() != 0) throw failed("duplicity cleanup", c);
    }
    // A retry keeps the first attempt's start, so the set it makes is after it either way.
    long started = mine != null && mine.path("started").asLong(0) > 0
        ? mine.path("started").asLong() : Instant.now().getEpochSecond();
    ObjectNode rec = FilesActivitiesImpl.JSON.createObjectNode();
    rec.put("generation", generation);
    rec.put("started", started);
    recs.put(rec);
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
    DuplicityRecords.Set1 made = recs.sets().stream().filter(s -> s.time() >= started).reduce((a, b) -> b)
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
    List<JsonNode> entries = DuplicityRecords.entries(f, o.stdout());
    ObjectNode rec = FilesActivitiesImpl.JSON.createObjectNode();
    rec.put("generation", generation);
    rec.put("started", started);
    rec.put("time", time);
    rec.put("reason", reason);
    rec.putArray("entries").addAll(entries);
    recs.put(rec);
    return entries;
  }

  @Override
  public FilesCheck check(Runnable tick) {
    List<DuplicityRecords.Set1> sets = recs.sets();
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
    List<DuplicityRecords.Set1> sets = recs.sets();
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
    recs.delete(removed);
    return new FilesRetention(after, List.copyOf(removed));
  }

  /** {name, time, id}: a set's generation (or "duplicity-TIME" when none is recorded), its epoch. */
  @Override
  public List<String[]> snapshots() {
    Map<Long, String> byTime = new HashMap<>();
    recs.records().values().forEach(r -> {
      if (r.path("time").asLong(0) > 0) byTime.put(r.path("time").asLong(), r.path("generation").asText());
    });
    List<String[]> out = new ArrayList<>();
    for (DuplicityRecords.Set1 s : recs.sets()) {
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
    JsonNode rec = recs.records().values().stream()
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
    // duplicity ends a gpg failure with its GnuPG log, whose last line is its trailer: the
    // last line gpg itself wrote says why.
    String why = o.stderr().lines().map(String::strip).filter(l -> l.startsWith("gpg: "))
        .reduce((a, b) -> b).orElse(o.lastLine());
    return FailureKind.FILES_ENGINE_FAILED.failure(what + " for files source " + f.name()
        + " failed (exit " + o.exit() + "): " + why);
  }
}
