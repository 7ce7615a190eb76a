package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * borg 1.2 behind a files source: a repokey-encrypted repository on a path of the source's
 * host, or on a repository host over ssh ({@code ssh://[USER@]ADDRESS/PATH}, {@code borg serve}
 * on the far side; every step still runs on the source's host), {@code borg create} of the
 * paths with the excludes, {@code borg check --verify-data} as verification, {@code borg prune
 * --keep-*} then {@code borg compact} as retention, and {@code borg extract} for restores. The
 * passphrase reaches borg in its environment only.
 *
 * <p>Rerun rules. A retried backup first looks for the archive named by its backup id (a lost
 * attempt's result) and reuses it; a crashed {@code borg create} leaves at most a
 * {@code ID.checkpoint} archive, which prune removes. The repository's lock: a crashed borg's
 * {@code lock.exclusive} names its host and process, and borg removes it as stale when it runs
 * again on that host and the process is gone. Over ssh it is the same: borg 1.2's client hands
 * its own host id and pid to {@code borg serve}, so the lock on the repository host names the
 * source's host, and the retry (on that host, by its agent) finds the process dead and removes
 * the lock (tried: a SIGKILLed {@code borg create} over ssh, then {@code borg list} went on at
 * once with "Killed stale lock"); the server ends when its ssh connection closes. What a retry
 * can meet is a live holder elsewhere (a restore or check from another machine), so remote runs
 * wait {@link #REMOTE_LOCK_WAIT_SECONDS} for the lock instead of borg's one second, then fail
 * retryably; Lifeboat never breaks a lock itself.
 */
final class Borg implements FilesEngine {
  /** How long a run over ssh waits for the repository's lock (another client holding it). */
  static final int REMOTE_LOCK_WAIT_SECONDS = 120;
  private final FilesConfig f;
  private final Secrets secrets;
  private final String repo;
  /** null: the repository is on this host. */
  private final RepositorySsh ssh;

  Borg(FilesConfig f, Secrets secrets, RepositorySsh ssh) {
    this.f = f;
    this.secrets = secrets;
    this.ssh = ssh;
    this.repo = ssh == null ? f.repositoryPath() : ssh.borgUrl();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("BORG_PASSPHRASE", EngineSecrets.passphrase(secrets, f));
    env.put("BORG_REPO", repo);
    // Never a question on a terminal there is none of: a moved or unknown repository fails.
    env.put("BORG_RELOCATED_REPO_ACCESS_IS_OK", "no");
    env.put("BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", "no");
    env.put("BORG_DISPLAY_PASSPHRASE", "no");
    if (ssh != null) env.put("BORG_RSH", ssh.rsh());
    return env;
  }

  private String bin() {
    return EngineSecrets.bin(secrets, "LIFEBOAT_BORG_BIN", "borg");
  }

  Restic.Output run(List<String> args, Path workDir, Runnable tick) {
    List<String> command = new ArrayList<>();
    command.add(bin());
    if (ssh != null) command.addAll(List.of("--lock-wait", "" + REMOTE_LOCK_WAIT_SECONDS));
    command.addAll(args);
    return EngineProcess.run("borg", command, env(), List.of("BORG_"), workDir, l -> { }, tick);
  }

  @Override
  public String location() {
    return repo;
  }

  private void requireRepository() {
    // Over ssh borg's own "does not exist" says it (see failed).
    if (ssh != null) return;
    if (!Files.isRegularFile(Path.of(repo, "config"))) {
      throw FailureKind.CONFIG_INVALID.failure("borg repository " + repo + " of files source "
          + f.name() + " does not exist on this host (files[].repositoryPath; the first backup"
          + " creates it)");
    }
  }

  @Override
  public boolean init() {
    if (ssh != null) return initRemote();
    Path path = Path.of(repo);
    if (Files.isRegularFile(path.resolve("config"))) return false;
    if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
      throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": the directory "
          + path.getParent() + " of repositoryPath " + repo + " does not exist on this host");
    }
    try {
      if (Files.isDirectory(path) && Files.list(path).findAny().isPresent()) {
        throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": repositoryPath "
            + repo + " is a non-empty directory that is not a borg repository");
      }
    } catch (IOException e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("files source " + f.name() + ": " + e, e);
    }
    Restic.Output o = run(List.of("init", "--encryption=repokey", repo), null, null);
    if (o.exit() != 0) throw failed("borg init", o);
    return true;
  }

  /**
   * borg init over ssh; the same refusals as on this host, from borg's own words (there is no
   * path here to look at). An existing repository is the common case: borg says so and ends.
   */
  private boolean initRemote() {
    Restic.Output o = run(List.of("init", "--encryption=repokey", repo), null, null);
    if (o.exit() == 0) return true;
    String all = o.stderr() + "\n" + String.join("\n", o.stdout());
    if (all.contains("A repository already exists at")) return false;
    if (all.contains("The parent path of the repo directory")) {
      throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": the directory"
          + " above repositoryPath " + f.repositoryPath() + " does not exist on repository host "
          + f.repositoryHost());
    }
    if (all.contains("There is already something at")) {
      throw FailureKind.CONFIG_INVALID.failure("files source " + f.name() + ": repositoryPath "
          + f.repositoryPath() + " on repository host " + f.repositoryHost() + " is a non-empty"
          + " directory that is not a borg repository");
    }
    throw failed("borg init", o);
  }

  @Override
  public FilesSnapshot backup(String generation, String reason, Runnable tick) {
    requireRepository();
    String version = version();
    for (String[] s : snapshots()) {
      if (s[0].equals(generation)) {
        return new FilesSnapshot(generation, 0, 0, 0, 0, 0, 0, 0, version, true);
      }
    }
    List<String> args = new ArrayList<>(List.of("create", "--json", "--compression", "lz4",
        "--comment", "lifeboat " + reason));
    for (String e : f.excludes()) args.addAll(List.of("--exclude", e));
    args.add(repo + "::" + generation);
    args.addAll(f.paths());
    Restic.Output o = run(args, null, tick);
    // 1: a warning (a file changed or could not be read); the archive was still made.
    if (o.exit() != 0 && o.exit() != 1) throw failed("borg create", o);
    JsonNode root = FilesActivitiesImpl.parseText(String.join("\n", o.stdout()));
    if (root == null) throw failed("borg create", o);
    JsonNode a = root.path("archive");
    JsonNode st = a.path("stats");
    return new FilesSnapshot(a.path("name").asText(generation), 0, 0, 0,
        st.path("nfiles").asLong(), st.path("original_size").asLong(),
        st.path("deduplicated_size").asLong(), a.path("duration").asDouble(), version, false);
  }

  @Override
  public FilesCheck check(Runnable tick) {
    requireRepository();
    Restic.Output o = run(List.of("check", "--verify-data", repo), null, tick);
    if (o.exit() == 0) {
      return new FilesCheck(true, 100, "borg check --verify-data: no problems found (read all"
          + " of the data)");
    }
    List<String> all = new ArrayList<>(o.stdout());
    all.addAll(o.stderr().lines().toList());
    String lower = String.join("\n", all).toLowerCase(Locale.ROOT);
    boolean damage = lower.contains("errors found") || lower.contains("problems found")
        || lower.contains("integrity error") || lower.contains("mismatch")
        || lower.contains("corrupt");
    if (!damage || lower.contains("passphrase supplied")) throw failed("borg check", o);
    String first = all.stream().map(String::strip)
        .filter(l -> l.toLowerCase(Locale.ROOT).matches(
            ".*(error|mismatch|corrupt|missing|invalid|damaged).*"))
        .findFirst().orElse("errors found");
    return new FilesCheck(false, 100, "borg check --verify-data: " + first);
  }

  @Override
  public FilesRetention retention(Runnable tick) {
    requireRepository();
    FilesConfig.Keep k = f.keep();
    List<String> before = names();
    if (k.keepsEverything()) return new FilesRetention(before, List.of());
    List<String> args = new ArrayList<>(List.of("prune"));
    if (k.last() > 0) args.addAll(List.of("--keep-last", "" + k.last()));
    if (k.daily() > 0) args.addAll(List.of("--keep-daily", "" + k.daily()));
    if (k.weekly() > 0) args.addAll(List.of("--keep-weekly", "" + k.weekly()));
    if (k.monthly() > 0) args.addAll(List.of("--keep-monthly", "" + k.monthly()));
    args.add(repo);
    Restic.Output o = run(args, null, tick);
    if (o.exit() != 0) throw failed("borg prune", o);
    Restic.Output c = run(List.of("compact", repo), null, tick);
    if (c.exit() != 0) throw failed("borg compact", c);
    List<String> after = names();
    Set<String> removed = new LinkedHashSet<>(before);
    removed.removeAll(after);
    return new FilesRetention(after, List.copyOf(removed));
  }

  private List<String> names() {
    return snapshots().stream().map(s -> s[0]).toList();
  }

  @Override
  public List<String[]> snapshots() {
    requireRepository();
    Restic.Output o = run(List.of("list", "--json", repo), null, null);
    if (o.exit() != 0) throw failed("borg list", o);
    JsonNode root = FilesActivitiesImpl.parseText(String.join("\n", o.stdout()));
    List<String[]> out = new ArrayList<>();
    if (root != null) {
      root.path("archives").forEach(a -> out.add(new String[] {a.path("name").asText(),
          a.path("time").asText(), a.path("name").asText()}));
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
    Restic.Output o = run(List.of("extract", "--numeric-ids", repo + "::" + id), target, null);
    if (o.exit() != 0) throw failed("borg extract of " + id + " into " + target, o);
  }

  @Override
  public List<JsonNode> listing(String id) {
    Restic.Output o = run(List.of("list", "--json-lines", repo + "::" + id), null, null);
    if (o.exit() != 0) throw failed("borg list " + id, o);
    List<JsonNode> out = new ArrayList<>();
    out.add(FilesRestore.snapshotNode(f.paths()));
    out.addAll(FilesRestore.parentNodes(f.paths()));
    for (String line : o.stdout()) {
      JsonNode n = FilesActivitiesImpl.parseLine(line);
      if (n == null) continue;
      ObjectNode node = FilesActivitiesImpl.JSON.createObjectNode();
      node.put("struct_type", "node");
      node.put("path", "/" + n.path("path").asText());
      node.put("type", switch (n.path("type").asText()) {
        case "d" -> "dir";
        case "l" -> "symlink";
        case "-" -> "file";
        default -> "other";
      });
      node.put("mode", FilesRestore.modeBits(n.path("mode").asText()));
      node.put("size", n.path("size").asLong());
      if ("l".equals(n.path("type").asText())) node.put("linktarget", n.path("linktarget").asText());
      out.add(node);
    }
    return out;
  }

  /** "borg 1.2.4", or "borg (unknown version)". */
  String version() {
    try {
      Restic.Output o = EngineProcess.run("borg", List.of(bin(), "--version"), Map.of(),
          List.of("BORG_"), null, l -> { }, null);
      return o.stdout().isEmpty() ? "borg (unknown version)" : o.stdout().get(0).strip();
    } catch (RuntimeException e) {
      return "borg (unknown version)";
    }
  }

  private ApplicationFailure failed(String what, Restic.Output o) {
    String msg = what + " for files source " + f.name() + " failed (exit " + o.exit() + "): "
        + o.lastLine();
    if (o.stderr().contains("passphrase supplied in BORG_PASSPHRASE")) {
      return FailureKind.CONFIG_INVALID.failure(what + " for files source " + f.name()
          + ": the passphrase in " + f.passwordEnv() + " is not the repository's");
    }
    if (ssh != null) {
      String all = o.stderr() + "\n" + String.join("\n", o.stdout());
      if (all.matches("(?s).*Repository \\S+ does not exist.*")
          || all.contains("is not a valid repository")) {
        return FailureKind.CONFIG_INVALID.failure("borg repository " + repo + " of files source "
            + f.name() + " does not exist on repository host " + f.repositoryHost()
            + " (files[].repositoryPath; the first backup creates it)");
      }
      if (all.contains("was previously located at")) {
        return FailureKind.CONFIG_INVALID.failure(what + " for files source " + f.name()
            + ": borg knew this repository under another address (repositoryHost's address or"
            + " repositoryUser changed?); if it is the same repository, run once as this user:"
            + " BORG_RELOCATED_REPO_ACCESS_IS_OK=yes borg list " + repo);
      }
      if (RepositorySsh.looksLikeConnection(o)) {
        ApplicationFailure connection = ssh.probe(what);
        if (connection != null) return connection;
      }
    }
    return FailureKind.FILES_ENGINE_FAILED.failure(msg);
  }
}
