package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.config.ConfigException;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The steps of a files backup (issue 20): restic's here, each one restic command; borg's and
 * rsync's in their {@link FilesEngine}.
 */
public final class FilesActivitiesImpl implements FilesActivities {
  static final ObjectMapper JSON = new ObjectMapper();
  private final StoreFactory stores;
  private final Secrets secrets;

  public FilesActivitiesImpl(StoreFactory stores, Secrets secrets) {
    this.stores = stores;
    this.secrets = secrets;
  }

  private Restic restic(ResticTarget t) {
    try {
      return Restic.forSource(t.files(), t.repository(), secrets);
    } catch (ConfigException e) {
      throw FailureKind.CONFIG_INVALID.failure(e.getMessage());
    }
  }

  private FilesEngine engine(ResticTarget t) {
    return t.files().restic() ? null
        : FilesEngine.of(t.files(), t.repository(), secrets, t.repositoryAddress());
  }

  private static Runnable tick() {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    return () -> ctx.heartbeat(null);
  }

  @Override
  public boolean filesInit(ResticTarget t) {
    return typed(t, () -> {
      FilesEngine engine = engine(t);
      if (engine != null) return engine.init();
      Restic.Output o = restic(t).run(List.of("init"));
      if (o.exit() == 0) return true;
      String all = (o.stderr() + String.join("\n", o.stdout())).toLowerCase(Locale.ROOT);
      if (all.contains("already initialized") || all.contains("already exists")) return false;
      throw failed("restic init", t, o);
    });
  }

  @Override
  public FilesSnapshot filesBackup(ResticTarget t) {
    return typed(t, () -> {
      FilesConfig f = t.files();
      for (String p : f.paths()) {
        if (!Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS)) {
          throw FailureKind.FILES_PATH_MISSING.failure("files source " + f.name() + ": " + p
              + " does not exist on this host");
        }
      }
      FilesEngine engine = engine(t);
      if (engine != null) {
        return engine.backup(FilesEngine.generation(t.runTag()), t.reason(), tick());
      }
      Restic restic = restic(t);
      String version = restic.version();
      // A retried attempt: the snapshot a lost attempt of this run made is the answer.
      Restic.Output found = restic.run(List.of("snapshots", "--json", "--tag", t.runTag()));
      if (found.exit() == 0) {
        JsonNode arr = parse(found.stdout());
        if (arr != null && arr.isArray() && arr.size() > 0) {
          JsonNode s = arr.get(arr.size() - 1);
          return new FilesSnapshot(s.path("short_id").asText(s.path("id").asText()), 0, 0, 0, 0,
              0, 0, 0, version, true);
        }
      }
      restic.run(List.of("unlock"));
      List<String> args = new ArrayList<>(List.of("backup", "--json", "--tag", t.runTag(),
          "--tag", "lifeboat"));
      if (f.host() != null) args.addAll(List.of("--host", f.host()));
      for (String e : f.excludes()) args.addAll(List.of("--exclude", e));
      args.addAll(f.paths());
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      JsonNode[] summary = new JsonNode[1];
      Restic.Output o = restic.run(args, line -> {
        JsonNode n = parseLine(line);
        if (n == null) return;
        String type = n.path("message_type").asText();
        if ("status".equals(type)) {
          ctx.heartbeat(new FilesProgress(n.path("percent_done").asDouble(),
              n.path("files_done").asLong(), n.path("total_files").asLong(),
              n.path("bytes_done").asLong(), n.path("total_bytes").asLong()));
        } else if ("summary".equals(type)) {
          summary[0] = n;
        }
      });
      // 3: some files could not be read, the snapshot was still made (restic's own meaning).
      if ((o.exit() != 0 && o.exit() != 3) || summary[0] == null) {
        throw failed("restic backup", t, o);
      }
      JsonNode s = summary[0];
      return new FilesSnapshot(s.path("snapshot_id").asText(), s.path("files_new").asLong(),
          s.path("files_changed").asLong(), s.path("files_unmodified").asLong(),
          s.path("total_files_processed").asLong(), s.path("total_bytes_processed").asLong(),
          s.path("data_added").asLong(), s.path("total_duration").asDouble(), version, false);
    });
  }

  @Override
  public FilesSnapshot filesSeal(ResticTarget t) {
    return typed(t, () -> {
      if (!(engine(t) instanceof RsyncMirror mirror) || t.files().remoteRepository()) {
        throw FailureKind.CONFIG_INVALID.failure("files source " + t.files().name() + ": only an"
            + " rsync mirror is sealed, on its own host");
      }
      return mirror.seal(FilesEngine.generation(t.runTag()), t.reason(), tick());
    });
  }

  @Override
  public FilesCheck filesCheck(ResticTarget t) {
    return typed(t, () -> {
      FilesEngine engine = engine(t);
      if (engine != null) return engine.check(tick());
      int pct = t.files().checkReadDataPercent();
      Restic restic = restic(t);
      restic.run(List.of("unlock"));
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      Restic.Output o = restic.run(List.of("check", "--read-data-subset=" + pct + "%"),
          line -> ctx.heartbeat(null));
      if (o.exit() == 0) {
        return new FilesCheck(true, pct, "no errors were found (read " + pct + "% of the data)");
      }
      List<String> all = new ArrayList<>(o.stdout());
      all.addAll(o.stderr().lines().toList());
      boolean damage = all.stream().anyMatch(l -> l.contains("repository contains errors"));
      if (!damage) throw failed("restic check", t, o);
      String first = all.stream().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.contains("repository contains errors"))
          .filter(l -> l.toLowerCase(Locale.ROOT).matches(
              ".*(error|does not match|invalid|damaged|not found|wrong|missing).*"))
          .findFirst().orElse("repository contains errors");
      return new FilesCheck(false, pct, first);
    });
  }

  @Override
  public FilesRetention filesForget(ResticTarget t) {
    return typed(t, () -> {
      FilesEngine engine = engine(t);
      if (engine != null) return engine.retention(tick());
      FilesConfig.Keep k = t.files().keep();
      Restic restic = restic(t);
      if (k.keepsEverything()) {
        Restic.Output o = restic.run(List.of("snapshots", "--json"));
        if (o.exit() != 0) throw failed("restic snapshots", t, o);
        List<String> kept = new ArrayList<>();
        JsonNode arr = parse(o.stdout());
        if (arr != null) arr.forEach(s -> kept.add(shortId(s)));
        return new FilesRetention(kept, List.of());
      }
      List<String> args = new ArrayList<>(List.of("forget", "--json", "--prune", "--group-by",
          "paths"));
      if (k.last() > 0) args.addAll(List.of("--keep-last", "" + k.last()));
      if (k.daily() > 0) args.addAll(List.of("--keep-daily", "" + k.daily()));
      if (k.weekly() > 0) args.addAll(List.of("--keep-weekly", "" + k.weekly()));
      if (k.monthly() > 0) args.addAll(List.of("--keep-monthly", "" + k.monthly()));
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      Restic.Output o = restic.run(args, line -> ctx.heartbeat(null));
      if (o.exit() != 0) throw failed("restic forget --prune", t, o);
      List<String> kept = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      for (String line : o.stdout()) {
        if (!line.startsWith("[")) continue;
        JsonNode groups = parseLine(line);
        if (groups == null) continue;
        for (JsonNode g : groups) {
          g.path("keep").forEach(s -> kept.add(shortId(s)));
          g.path("remove").forEach(s -> removed.add(shortId(s)));
        }
      }
      return new FilesRetention(kept, removed);
    });
  }

  @Override
  public String filesCommitManifest(ResticTarget t, FilesManifest manifest) {
    return typed(t, () -> {
      String key = ResticTarget.manifestKey(t.repository(), t.files().name(), manifest.backupId());
      ObjectStore store = stores.forRepository(t.repository());
      try {
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        if (store.putIfAbsent(key, body, "application/json", Map.of())) return key;
        try (InputStream in = store.get(key)) {
          FilesManifest there = JSON.readValue(in, FilesManifest.class);
          if (there.equals(manifest)) return key;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw FailureKind.BACKUP_ID_TAKEN.failure("a different manifest is already committed at "
          + key);
    });
  }

  // A drill's restore (the files scenario): in FilesDrillRestore.

  @Override
  public FilesManifest filesNewestManifest(io.lifeboat.config.RepositoryConfig repository,
      String name) {
    return FilesDrillRestore.newestManifest(stores.forRepository(repository), repository, name);
  }

  @Override
  public FilesRestoreCheck filesRestoreCompare(FilesScratchRestore r) {
    return FilesDrillRestore.restoreCompare(r, secrets);
  }

  @Override
  public String filesRemoveScratch(FilesScratchRestore r) {
    return FilesDrillRestore.removeScratch(r);
  }

  static String shortId(JsonNode s) {
    String id = s.path("short_id").asText("");
    if (!id.isEmpty()) return id;
    id = s.path("id").asText("");
    return id.length() > 8 ? id.substring(0, 8) : id;
  }

  static JsonNode parse(List<String> lines) {
    for (String l : lines) {
      if (l.startsWith("[") || l.startsWith("{")) {
        JsonNode n = parseLine(l);
        if (n != null) return n;
      }
    }
    return null;
  }

  /** A whole JSON document (borg's pretty-printed --json), or null. */
  static JsonNode parseText(String text) {
    try {
      return text.isBlank() ? null : JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  static JsonNode parseLine(String line) {
    if (!line.startsWith("{") && !line.startsWith("[")) return null;
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private static io.temporal.failure.ApplicationFailure failed(String what, ResticTarget t,
      Restic.Output o) {
    String last = o.lastLine();
    String lower = o.stderr().toLowerCase(Locale.ROOT);
    String msg = what + " for files source " + t.files().name() + " failed (exit " + o.exit()
        + "): " + last;
    if (lower.contains("wrong password")) {
      return FailureKind.CONFIG_INVALID.failure(msg + " (the variable " + t.files().passwordEnv()
          + " holds another password than the repository's)");
    }
    if (lower.contains("access denied") || lower.contains("invalidaccesskeyid")
        || lower.contains("signaturedoesnotmatch")) {
      return FailureKind.S3_ACCESS_DENIED.failure(msg);
    }
    return FailureKind.RESTIC_FAILED.failure(msg);
  }

  private static <T> T typed(ResticTarget t, Supplier<T> body) {
    try {
      return body.get();
    } catch (UncheckedIOException e) {
      throw (t.files().restic() ? FailureKind.RESTIC_FAILED : FailureKind.FILES_ENGINE_FAILED)
          .failure(e.getMessage(), e);
    }
  }
}
